package dev.abstractions.server.ops.functions;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.Multibinder;

/**
 * Binds the built-in server functions into the {@code Set<ServerFunction>}: {@code merge-patch},
 * {@code set}, {@code increment}, {@code append} and {@code remove}. They are stateless, so one
 * instance of each serves every call.
 */
public final class BuiltInFunctionsModule extends AbstractModule {

  @Override
  protected void configure() {
    Multibinder<ServerFunction> functions = Multibinder.newSetBinder(binder(), ServerFunction.class);
    functions.addBinding().toInstance(new MergePatch());
    functions.addBinding().toInstance(new SetField());
    functions.addBinding().toInstance(new Increment());
    functions.addBinding().toInstance(new Append());
    functions.addBinding().toInstance(new RemoveField());
  }
}
