package dev.abstractions.server.ops.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.inject.Guice;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The built-in functions give exact results, fail with exact messages, reject bad arguments
 * naming the argument at fault, and leave their input untouched.
 */
class BuiltInFunctionTest {

  private static final ServerFunction MERGE_PATCH = new MergePatch();
  private static final ServerFunction SET = new SetField();
  private static final ServerFunction INCREMENT = new Increment();
  private static final ServerFunction APPEND = new Append();
  private static final ServerFunction REMOVE = new RemoveField();

  private static final Map<String, ServerFunction> BY_NAME = Stream.of(MERGE_PATCH, SET, INCREMENT, APPEND, REMOVE)
      .collect(Collectors.toMap(ServerFunction::name, Function.identity()));

  @ParameterizedTest(name = "{0} patched with {1} is {2}")
  @CsvSource(delimiter = '|', textBlock = """
      {"a":"b"}             | {"a":"c"}                        | {"a":"c"}
      {"a":"b"}             | {"b":"c"}                        | {"a":"b","b":"c"}
      {"a":"b"}             | {"a":null}                       | {}
      {"a":"b","b":"c"}     | {"a":null}                       | {"b":"c"}
      {"a":["b"]}           | {"a":"c"}                        | {"a":"c"}
      {"a":"c"}             | {"a":["b"]}                      | {"a":["b"]}
      {"a":{"b":"c"}}       | {"a":{"b":"d","c":null}}         | {"a":{"b":"d"}}
      {"a":[{"b":"c"}]}     | {"a":[1]}                        | {"a":[1]}
      {"e":null}            | {"a":1}                          | {"e":null,"a":1}
      {}                    | {"a":{"bb":{"ccc":null}}}        | {"a":{"bb":{}}}
      """)
  void mergePatchGivesTheResultsOfRfc7386AppendixA(String original, String patch, String result) throws Exception {
    assertApplies(MERGE_PATCH, original, "{'patch':" + patch + "}", result);
  }

  @Test
  void mergePatchMergesNestedObjectsKeepingUntouchedSiblingsAndReplacingNonObjects() throws Exception {
    assertApplies(MERGE_PATCH,
        "{'a':{'x':1,'y':2},'k':true,'s':'text'}",
        "{'patch':{'a':{'y':3,'z':{'n':null,'m':[]}},'s':{'t':1}}}",
        "{'a':{'x':1,'y':3,'z':{'m':[]}},'k':true,'s':{'t':1}}");
  }

  @Test
  void setReplacesTheValueAtATopLevelKey() throws Exception {
    assertApplies(SET, "{'a':1,'b':2}", "{'path':'a','value':'x'}", "{'a':'x','b':2}");
  }

  @Test
  void setCreatesMissingIntermediateObjects() throws Exception {
    assertApplies(SET, "{'x':1}", "{'path':'a.b.c','value':true}", "{'x':1,'a':{'b':{'c':true}}}");
  }

  @Test
  void setIntoAnExistingNestedObjectKeepsItsSiblings() throws Exception {
    assertApplies(SET,
        "{'a':{'b':{'keep':1},'c':2}}",
        "{'path':'a.b.new','value':{'list':[1,null]}}",
        "{'a':{'b':{'keep':1,'new':{'list':[1,null]}},'c':2}}");
  }

  @Test
  void setStoresAnExplicitNull() throws Exception {
    assertApplies(SET, "{'a':1}", "{'path':'a','value':null}", "{'a':null}");
  }

  @Test
  void setThroughANonObjectFailsNamingTheIntermediate() throws Exception {
    assertFails(SET, "{'a':{'b':'s'}}", "{'path':'a.b.c','value':1}", "\"a.b\" holds a string, not an object");
  }

  @Test
  void incrementWithoutByAddsOne() throws Exception {
    assertApplies(INCREMENT, "{'count':41}", "{'path':'count'}", "{'count':42}");
  }

  @Test
  void incrementAddsBy() throws Exception {
    assertApplies(INCREMENT, "{'count':2,'x':0}", "{'path':'count','by':0.5}", "{'count':2.5,'x':0}");
  }

  @Test
  void incrementByANegativeNumberSubtracts() throws Exception {
    assertApplies(INCREMENT, "{'count':2}", "{'path':'count','by':-5}", "{'count':-3}");
  }

  @Test
  void incrementOfAMissingFieldStartsFromZeroAndCreatesIntermediateObjects() throws Exception {
    assertApplies(INCREMENT,
        "{'other':'x'}", "{'path':'stats.views','by':3}", "{'other':'x','stats':{'views':3}}");
  }

  @Test
  void incrementOfAStringFieldFailsNamingThePath() throws Exception {
    assertFails(INCREMENT, "{'count':'7'}", "{'path':'count'}", "\"count\" holds a string, not a number");
  }

  @Test
  void incrementOfANullFieldFailsRatherThanStartingFromZero() throws Exception {
    assertFails(INCREMENT, "{'a':{'n':null}}", "{'path':'a.n'}", "\"a.n\" holds null, not a number");
  }

  @Test
  void incrementThroughANonObjectFailsNamingTheIntermediate() throws Exception {
    assertFails(INCREMENT, "{'stats':5}", "{'path':'stats.views'}", "\"stats\" holds a number, not an object");
  }

  @Test
  void incrementThatOverflowsToInfinityFails() throws Exception {
    assertFails(INCREMENT,
        "{'n':1.7976931348623157e308}", "{'path':'n','by':1.7976931348623157e308}",
        "\"n\" would become Infinity, not a finite number");
  }

  @ParameterizedTest(name = "by {0}")
  @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
  void incrementByANonFiniteNumberIsInvalid(double by) {
    // JSON cannot spell these, but a binary request can
    Struct args =
        json("{'path':'n'}").toBuilder().putFields("by", Value.newBuilder().setNumberValue(by).build()).build();

    InvalidArgumentsException e =
        catchThrowableOfType(InvalidArgumentsException.class, () -> INCREMENT.checkArguments(args));

    assertThat(e.field()).isEqualTo("by");
    assertThat(e).hasMessage("must be a finite number, was " + by);
  }

  @Test
  void appendToAMissingFieldCreatesAOneElementList() throws Exception {
    assertApplies(APPEND, "{'x':1}", "{'path':'prefs.tags','value':'a'}", "{'x':1,'prefs':{'tags':['a']}}");
  }

  @Test
  void appendToAnExistingListAddsAtTheEnd() throws Exception {
    assertApplies(APPEND,
        "{'tags':['a',1]}", "{'path':'tags','value':{'k':null}}", "{'tags':['a',1,{'k':null}]}");
  }

  @Test
  void appendOfAnExplicitNullAddsANullElement() throws Exception {
    assertApplies(APPEND, "{'tags':['a']}", "{'path':'tags','value':null}", "{'tags':['a',null]}");
  }

  @Test
  void appendToANonListFailsNamingThePath() throws Exception {
    assertFails(APPEND, "{'tags':{'a':1}}", "{'path':'tags','value':'b'}", "\"tags\" holds an object, not a list");
  }

  @Test
  void removeOfANestedKeyKeepsItsSiblings() throws Exception {
    assertApplies(REMOVE, "{'a':{'b':1,'c':2},'d':3}", "{'path':'a.b'}", "{'a':{'c':2},'d':3}");
  }

  @Test
  void removeOfTheOnlyKeyLeavesAnEmptyParent() throws Exception {
    assertApplies(REMOVE, "{'a':{'b':1}}", "{'path':'a.b'}", "{'a':{}}");
  }

  @ParameterizedTest(name = "remove {0}")
  @ValueSource(strings = {"a.b", "x.y", "d.e", "a.c.z"})
  void removeOfNothingLeavesTheDataUnchanged(String path) throws Exception {
    // a missing key, a missing intermediate, and intermediates holding numbers
    String data = "{'a':{'c':2},'d':3}";
    String args = "{'path':'" + path + "'}";
    assertApplies(REMOVE, data, args, data);
    Struct input = json(data);
    assertThat(REMOVE.apply(input, json(args))).isSameAs(input);
  }

  @ParameterizedTest(name = "{0} {1}: {2} {3}")
  @CsvSource(delimiter = '|', textBlock = """
      merge-patch | {}                                   | patch | is required
      merge-patch | {"patch":"x"}                        | patch | must be an object, was a string
      merge-patch | {"patch":null}                       | patch | must be an object, was null
      merge-patch | {"patch":[{}]}                       | patch | must be an object, was a list
      merge-patch | {"patch":{},"path":"a"}              | path  | is not an argument of merge-patch, which takes patch
      set         | {"value":1}                          | path  | is required
      set         | {"path":"","value":1}                | path  | must not be empty
      set         | {"path":"a..b","value":1}            | path  | must be non-empty keys separated by dots, was "a..b"
      set         | {"path":".a","value":1}              | path  | must be non-empty keys separated by dots, was ".a"
      set         | {"path":"a.","value":1}              | path  | must be non-empty keys separated by dots, was "a."
      set         | {"path":5,"value":1}                 | path  | must be a string such as "a.b", was a number
      set         | {"path":"a"}                         | value | is required
      set         | {"path":"a","value":1,"valeu":2}     | valeu | is not an argument of set, which takes path, value
      increment   | {}                                   | path  | is required
      increment   | {"path":null}                        | path  | must be a string such as "a.b", was null
      increment   | {"path":"x","bye":2}                 | bye   | is not an argument of increment, which takes path, by
      increment   | {"path":"x","zz":1,"bye":2}          | bye   | is not an argument of increment, which takes path, by
      increment   | {"pth":"x"}                          | pth   | is not an argument of increment, which takes path, by
      increment   | {"path":"x","by":"2"}                | by    | must be a number, was a string
      increment   | {"path":"x","by":null}               | by    | must be a number, was null
      append      | {"value":1}                          | path  | is required
      append      | {"path":"tags"}                      | value | is required
      append      | {"path":"a..b","value":1}            | path  | must be non-empty keys separated by dots, was "a..b"
      remove      | {}                                   | path  | is required
      remove      | {"path":"a."}                        | path  | must be non-empty keys separated by dots, was "a."
      remove      | {"path":"a","value":1}               | value | is not an argument of remove, which takes path
      """)
  void invalidArgumentsAreRejectedNamingTheArgumentAtFault(
      String function, String args, String field, String description) {
    InvalidArgumentsException e =
        catchThrowableOfType(InvalidArgumentsException.class, () -> BY_NAME.get(function).checkArguments(json(args)));

    assertThat(e).as("%s %s", function, args).isNotNull();
    assertThat(e.field()).isEqualTo(field);
    assertThat(e).hasMessage(description);
  }

  @Test
  void builtInFunctionsModuleBindsTheFiveFunctions() {
    Set<ServerFunction> bound = Guice.createInjector(new BuiltInFunctionsModule())
        .getInstance(Key.get(new TypeLiteral<Set<ServerFunction>>() {}));

    assertThat(bound).extracting(ServerFunction::name)
        .containsExactlyInAnyOrder("merge-patch", "set", "increment", "append", "remove");
  }

  /** Checks the arguments, applies, and asserts the whole result and that the input is untouched. */
  private static void assertApplies(ServerFunction function, String data, String args, String expected)
      throws Exception {
    Struct input = json(data);
    Struct arguments = json(args);
    function.checkArguments(arguments);

    Struct result = function.apply(input, arguments);

    assertThat(result).isEqualTo(json(expected));
    assertThat(input).isEqualTo(json(data));
  }

  /** Checks the arguments, then expects apply to fail with exactly {@code message}. */
  private static void assertFails(ServerFunction function, String data, String args, String message)
      throws InvalidArgumentsException {
    Struct input = json(data);
    Struct arguments = json(args);
    function.checkArguments(arguments);

    assertThatThrownBy(() -> function.apply(input, arguments))
        .isInstanceOf(FunctionFailedException.class)
        .hasMessage(message);
    assertThat(input).isEqualTo(json(data));
  }

  /** Parses a JSON object in which single quotes stand for double quotes, to spare the escapes. */
  private static Struct json(String text) {
    Struct.Builder struct = Struct.newBuilder();
    try {
      JsonFormat.parser().merge(text.replace('\'', '"'), struct);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("not a JSON object: " + text, e);
    }
    return struct.build();
  }
}
