// Connects mqtt.js to the broker through a presigned URL, as a browser client of the original pattern does,
// subscribes with QoS 1, answers the first message it receives on the reply topic with QoS 1, then disconnects.
// Usage: node interop.mjs <presigned ws:// URL> <client id> <topic to subscribe> <topic to reply on>
// Prints one JSON line per step on stdout so that the Java test can follow it.
import mqtt from 'mqtt';

const [url, clientId, subscribeTopic, replyTopic] = process.argv.slice(2);
const say = (step) => process.stdout.write(JSON.stringify(step) + '\n');

const client = mqtt.connect(url, { clientId, protocolVersion: 4, clean: true, reconnectPeriod: 0 });
client.on('error', (error) => {
  say({ step: 'error', message: String(error) });
  process.exit(2);
});
client.on('connect', () => {
  client.subscribe(subscribeTopic, { qos: 1 }, (error, granted) => {
    if (error) {
      say({ step: 'error', message: String(error) });
      process.exit(2);
    }
    say({ step: 'subscribed', granted: granted.map((g) => g.qos) });
  });
});
client.on('message', (topic, payload, packet) => {
  say({ step: 'received', topic, payload: payload.toString(), qos: packet.qos });
  client.publish(replyTopic, 'reply to ' + payload.toString(), { qos: 1 }, (error) => {
    say({ step: error ? 'error' : 'published' });
    client.end(false, () => process.exit(error ? 2 : 0));
  });
});
