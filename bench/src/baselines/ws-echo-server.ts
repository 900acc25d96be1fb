// Baseline for P3, the floor: a bare ws server that answers each CALL with an empty CALLRESULT, nothing else.
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

const server = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: () => 'ocpp1.6' });
server.on('connection', (socket) => {
  socket.on('message', (data) => {
    const [, id] = JSON.parse(data.toString()) as [number, string];
    socket.send(`[3,"${id}",{}]`);
  });
});
server.on('listening', () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});
