// Baseline for P1 and P2: ocpp-rpc's RPCServer with trivial handlers, as its README's barebones server.
import type { AddressInfo } from 'node:net';
import { RPCServer } from 'ocpp-rpc';

let transactionId = 0;
const server = new RPCServer({ protocols: ['ocpp1.6'], strictMode: false });
server.on('client', (client) => {
  client.handle('BootNotification', () => ({
    status: 'Accepted',
    interval: 300,
    currentTime: new Date().toISOString(),
  }));
  client.handle('StartTransaction', () => ({ transactionId: ++transactionId, idTagInfo: { status: 'Accepted' } }));
  client.handle(() => ({}));
});
const http = await server.listen(0, '127.0.0.1');
process.stdout.write(`listening ${(http.address() as AddressInfo).port}\n`);
