package dev.tether.local.iot;

/**
 * What the WebSocket upgrade request of one connection carried, as the broker needs it to authenticate CONNECT.
 *
 * @param rawPath the request path as received
 * @param rawQuery the query as received, without '?', empty when there was none
 * @param host the Host header, or null when absent
 * @param remoteAddress the client's address, for presence events and logs
 */
record UpgradeRequest(String rawPath, String rawQuery, String host, String remoteAddress) {
}
