"""Raw Ethernet frames of one interface over stdio, one hex line per frame: what arrives on the
interface is printed, what is read from stdin is sent. Lets a Node test play a DHCP server on a veth
with the responder's own frames (Node has no AF_PACKET sockets)."""
import socket
import sys
import threading

PACKET_OUTGOING = 4

sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
sock.bind((sys.argv[1], 0))


def send_lines():
    for line in sys.stdin:
        line = line.strip()
        if line:
            sock.send(bytes.fromhex(line))


threading.Thread(target=send_lines, daemon=True).start()
print("ready", flush=True)
while True:
    frame, addr = sock.recvfrom(65535)
    if addr[2] != PACKET_OUTGOING:  # our own replies are seen too: skip them
        print(frame.hex(), flush=True)
