package dev.abstractions.bench.load;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The baseline server process: {@link BareService} on grpc-java's Netty transport with
 * {@code directExecutor()} and Netty's buffer leak detection off, as the entity server runs. Prints {@code serving port=N} once
 * listening; runs until killed.
 *
 * <pre>java -cp bench/target/benchmarks.jar dev.abstractions.bench.load.BareServer [--port 0]</pre>
 */
public final class BareServer {

  private BareServer() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    System.getProperties().putIfAbsent("io.grpc.netty.shaded.io.netty.leakDetection.level", "disabled");
    int port = 0;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--port") && i + 1 < args.length) {
        port = Integer.parseInt(args[++i]);
      } else {
        System.err.println("usage: BareServer [--port N]");
        System.exit(2);
      }
    }
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port), InsecureServerCredentials.create())
            .directExecutor()
            .addService(BareService.definition())
            .build()
            .start();
    Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow, "shutdown"));
    System.out.println("serving port=" + server.getPort());
    System.out.flush();
    server.awaitTermination();
  }
}
