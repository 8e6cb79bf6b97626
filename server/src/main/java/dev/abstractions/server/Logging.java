package dev.abstractions.server;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import dev.abstractions.server.config.ServerConfig;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code --log-level} and {@code --log-format} to logback: reloads {@code logback.xml}
 * with them as its {@code LOG_LEVEL} and {@code LOG_FORMAT}. Called by {@link Main} once, after the
 * settings are checked and before anything logs; the server's threads are not running yet.
 */
final class Logging {

  private Logging() {}

  static void configure(ServerConfig.LogLevel level, ServerConfig.LogFormat format) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    context.putProperty("LOG_LEVEL", level.name());
    context.putProperty("LOG_FORMAT", format.name());
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    try {
      configurator.doConfigure(Logging.class.getResource("/logback.xml"));
    } catch (JoranException e) {
      throw new IllegalStateException("logback.xml is part of the server jar and must load", e);
    }
  }
}
