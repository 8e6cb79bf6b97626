'use strict';
// A TCP relay between a client and the server that a test can cut, to drop a client's
// connection the way a network failure does (the server itself stays up).
//
//   const relay = await Relay.start('127.0.0.1:8980');   // relay.address: 127.0.0.1:<free port>
//   relay.cut();                                          // resets every connection made so far
//   await relay.close();
const net = require('node:net');

class Relay {
  static async start(upstream) {
    const relay = new Relay(upstream);
    await new Promise((resolve) => relay.server.listen(0, '127.0.0.1', resolve));
    relay.address = `127.0.0.1:${relay.server.address().port}`;
    return relay;
  }

  constructor(upstream) {
    const [host, port] = [upstream.slice(0, upstream.lastIndexOf(':')), Number(upstream.slice(upstream.lastIndexOf(':') + 1))];
    this.sockets = new Set();
    /** Connections accepted so far. */
    this.connections = 0;
    this.server = net.createServer((client) => {
      this.connections += 1;
      const server = net.connect(port, host);
      for (const [a, b] of [[client, server], [server, client]]) {
        this.sockets.add(a);
        a.pipe(b);
        a.on('error', () => b.destroy()); // the other direction was cut
        a.on('close', () => { this.sockets.delete(a); b.destroy(); });
      }
    });
  }

  /** Resets every connection made so far (RST, as a failed network does); new ones relay. */
  cut() {
    for (const socket of this.sockets) socket.resetAndDestroy();
    this.sockets.clear();
  }

  close() {
    this.cut();
    return new Promise((resolve) => this.server.close(resolve));
  }
}

module.exports = { Relay };
