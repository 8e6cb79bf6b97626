"""A TCP relay between a client and the server that a test can cut, to drop a client's
connection the way a network failure does (the server itself stays up).

    with Relay("127.0.0.1:8980") as relay:        # relay.address is 127.0.0.1:<free port>
        ...
        relay.cut()                               # resets every connection made so far
"""
import socket
import struct
import threading


class Relay:
    def __init__(self, upstream: str):
        host, port = upstream.rsplit(":", 1)
        self._upstream = (host, int(port))
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.address = f"127.0.0.1:{self._listener.getsockname()[1]}"
        self._lock = threading.Lock()
        self._sockets = []
        self.connections = 0  # connections accepted so far
        self._acceptor = threading.Thread(target=self._accept, name="relay-accept", daemon=True)
        self._acceptor.start()

    def _accept(self):
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return  # closed
            server = socket.create_connection(self._upstream)
            with self._lock:
                self.connections += 1
                self._sockets += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b), name="relay-pump", daemon=True).start()

    @staticmethod
    def _pump(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass  # the other direction was cut
        finally:
            for s in (source, sink):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def cut(self):
        """Resets every connection made so far (RST, as a failed network does); new ones relay."""
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for s in sockets:
            try:
                # SO_LINGER 0: close sends RST, so both ends see the connection fail at once;
                # SHUT_RD first wakes the pump blocked reading it.
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                s.shutdown(socket.SHUT_RD)
            except OSError:
                pass  # its pump already ended it
            s.close()

    def close(self):
        self._listener.close()
        self.cut()

    def __enter__(self):
        return self

    def __exit__(self, *_exc):
        self.close()
