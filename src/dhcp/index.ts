/** Native DHCPv4 for VM ports: the message codec and the responder the controller runs on packet-ins. */
export { answerDhcp, type DhcpAnswer, type DhcpLease } from './responder.js';
export { parseDhcp, buildDhcp, getOption, getOptionU32, getMessageType, MIN_BOOTP_LENGTH, type DhcpMessage, type DhcpOption } from './message.js';
export { encodeClasslessRoutes, decodeClasslessRoutes, type ClasslessRoute } from './classless-routes.js';
export * from './constants.js';
