package dev.nhigraph.policy.eval;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Compiles the Condition element of an IAM policy statement and evaluates it with three-valued logic.
 *
 * <p>The rules come from these AWS IAM User Guide pages: "IAM JSON policy elements: Condition operators",
 * "IAM JSON policy elements: Condition", "Conditions with multiple context keys or values", "Single-valued vs.
 * multivalued context keys" and "IAM policy elements: Variables and tags".
 * <ul>
 *   <li>Several operators in a block, and several keys under one operator, must all hold (AND). Several policy
 *       values for one key are alternatives (OR), except under a negated operator such as
 *       {@code StringNotEquals}, where the context value must match none of them (NOR).</li>
 *   <li>Condition key names are case-insensitive: keys are passed to the {@link ConditionContext} as written,
 *       and its contract is to compare them ignoring case. Values compare case-sensitively unless the operator
 *       name ends in IgnoreCase ({@code Bool} excepted, below).</li>
 *   <li>A key absent from the request makes a positive operator false and a negated one (StringNotEquals,
 *       StringNotLike, NumericNotEquals, DateNotEquals, NotIpAddress, ArnNotEquals, ArnNotLike) true, as the
 *       "Important" note on the Condition operators page says. With the {@code IfExists} suffix an absent key
 *       makes the test true. {@code Null} tests presence and takes no {@code IfExists}.</li>
 *   <li>{@code ForAllValues:} holds when every context value matches at least one policy value, and holds on an
 *       absent or empty key. {@code ForAnyValue:} holds when some context value matches, and fails on an absent
 *       or empty key.</li>
 *   <li>A key whose values the context does not know (null) makes its test UNKNOWN, and so does a policy
 *       variable whose value is unknown when no other policy value decides the test.</li>
 * </ul>
 *
 * <p>Decisions where the AWS pages say nothing, or disagree:
 * <ul>
 *   <li>Operator names, and the {@code ForAnyValue:}, {@code ForAllValues:} and {@code IfExists} parts, are
 *       case-sensitive. The pages spell each operator one way, and IAM rejects a policy with
 *       {@code stringEquals} as MalformedPolicyDocument "Invalid Condition type". An unknown operator is
 *       rejected at compile time.</li>
 *   <li>A context value that is not of the operator's type (not an ARN, number, date, IP address or base64
 *       text) fails the test under negated operators too. PMapper asserts this for {@code ArnNotLike} with the
 *       value {@code test2}, a result its authors checked against the IAM policy simulator.</li>
 *   <li>{@code Bool} treats {@code true} in any letter case as true and anything else as false, as PMapper
 *       asserts from the IAM policy simulator ({@code True} matches {@code true}, {@code asdf} matches
 *       {@code false}).</li>
 *   <li>Policy values that cannot be parsed for their operator (a number, date, CIDR, base64 text, or a
 *       {@code Bool} or {@code Null} value other than true and false) are rejected at compile time rather than
 *       evaluated as never matching.</li>
 * </ul>
 * Other decisions are described where they are made.
 *
 * <p>Compilation parses every policy value once: dates, numbers, CIDR ranges, base64 values, wildcard patterns
 * and policy variables. Evaluation parses only context values and uses no regular expressions.
 */
public final class ConditionEvaluator {

    private static final String FOR_ANY_VALUE = "ForAnyValue:";
    private static final String FOR_ALL_VALUES = "ForAllValues:";
    private static final String IF_EXISTS = "IfExists";

    private static final Map<String, BaseOperator> OPERATORS = new HashMap<>();

    static {
        for (BaseOperator operator : BaseOperator.values()) {
            OPERATORS.put(operator.awsName, operator);
        }
    }

    private ConditionEvaluator() {
    }

    /**
     * Compiles a Condition block, the JSON object that maps operators to keys and values.
     *
     * @param conditionBlock  the value of the statement's Condition element
     * @param policyVariables true for policies of version 2012-10-17, where {@code ${...}} in string, ARN and
     *                        Bool values is a policy variable. False for older versions, where it is literal text
     * @throws IllegalArgumentException when the block is malformed, with a message that names the operator and key
     */
    public static CompiledCondition compile(JsonNode conditionBlock, boolean policyVariables) {
        if (conditionBlock == null || !conditionBlock.isObject()) {
            throw new IllegalArgumentException("Invalid Condition block: expected a JSON object that maps condition"
                    + " operators to keys, got " + (conditionBlock == null ? "null" : conditionBlock.toString()) + ".");
        }
        List<CompiledCondition.KeyTest> tests = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : conditionBlock.properties()) {
            compileOperator(entry.getKey(), entry.getValue(), policyVariables, tests);
        }
        return new CompiledCondition(tests);
    }

    private static void compileOperator(String name, JsonNode keys, boolean policyVariables,
                                        List<CompiledCondition.KeyTest> tests) {
        Operator operator = Operator.parse(name);
        if (!keys.isObject() || keys.isEmpty()) {
            throw new IllegalArgumentException("Invalid Condition block: operator '" + name
                    + "' must map at least one condition key to its values, got " + keys + ".");
        }
        for (Map.Entry<String, JsonNode> entry : keys.properties()) {
            String key = entry.getKey();
            List<String> values = policyValues(name, key, entry.getValue());
            UnresolvedCondition description = new UnresolvedCondition(name, key, values);
            if (operator.base == BaseOperator.NULL) {
                tests.add(NullTest.compile(operator, key, values, description));
            } else {
                ValueMatcher<?> matcher = matcher(operator, key, values, policyVariables);
                tests.add(new MatchTest(operator, key, matcher, description));
            }
        }
    }

    /** Reads one key's values: a string, number or boolean, or a non-empty array of them. */
    private static List<String> policyValues(String operator, String key, JsonNode node) {
        if (!node.isArray()) {
            return List.of(scalar(operator, key, node));
        }
        if (node.isEmpty()) {
            throw invalid(operator, key, "has an empty list of values");
        }
        List<String> values = new ArrayList<>(node.size());
        for (JsonNode element : node) {
            values.add(scalar(operator, key, element));
        }
        return List.copyOf(values);
    }

    private static String scalar(String operator, String key, JsonNode node) {
        if (node.isTextual() || node.isNumber() || node.isBoolean()) {
            return node.asText();
        }
        throw invalid(operator, key, "has a value that is not a string, number or boolean: " + node);
    }

    private static IllegalArgumentException invalid(String operator, String key, String problem) {
        return new IllegalArgumentException("Invalid Condition block: operator '" + operator + "', key '" + key
                + "' " + problem + ".");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Operator names

    private enum Quantifier { SINGLE, FOR_ANY_VALUE, FOR_ALL_VALUES }

    private enum Family { STRING, NUMERIC, DATE, BOOL, BINARY, IP_ADDRESS, ARN, NULL }

    private enum StringMode { EXACT, IGNORE_CASE, LIKE }

    /** The order a context value must have against a policy value. The Not operators negate EQUALS. */
    private enum Comparison {
        EQUALS, LESS_THAN, LESS_THAN_EQUALS, GREATER_THAN, GREATER_THAN_EQUALS;

        /** Tells whether {@code order}, the sign of context value minus policy value, satisfies this comparison. */
        boolean holds(int order) {
            return switch (this) {
                case EQUALS -> order == 0;
                case LESS_THAN -> order < 0;
                case LESS_THAN_EQUALS -> order <= 0;
                case GREATER_THAN -> order > 0;
                case GREATER_THAN_EQUALS -> order >= 0;
            };
        }
    }

    /** The operators of the Condition operators page, without set prefix or IfExists suffix. */
    private enum BaseOperator {
        STRING_EQUALS("StringEquals", false, StringMode.EXACT),
        STRING_NOT_EQUALS("StringNotEquals", true, StringMode.EXACT),
        STRING_EQUALS_IGNORE_CASE("StringEqualsIgnoreCase", false, StringMode.IGNORE_CASE),
        STRING_NOT_EQUALS_IGNORE_CASE("StringNotEqualsIgnoreCase", true, StringMode.IGNORE_CASE),
        STRING_LIKE("StringLike", false, StringMode.LIKE),
        STRING_NOT_LIKE("StringNotLike", true, StringMode.LIKE),
        NUMERIC_EQUALS("NumericEquals", Family.NUMERIC, false, Comparison.EQUALS),
        NUMERIC_NOT_EQUALS("NumericNotEquals", Family.NUMERIC, true, Comparison.EQUALS),
        NUMERIC_LESS_THAN("NumericLessThan", Family.NUMERIC, false, Comparison.LESS_THAN),
        NUMERIC_LESS_THAN_EQUALS("NumericLessThanEquals", Family.NUMERIC, false, Comparison.LESS_THAN_EQUALS),
        NUMERIC_GREATER_THAN("NumericGreaterThan", Family.NUMERIC, false, Comparison.GREATER_THAN),
        NUMERIC_GREATER_THAN_EQUALS("NumericGreaterThanEquals", Family.NUMERIC, false,
                Comparison.GREATER_THAN_EQUALS),
        DATE_EQUALS("DateEquals", Family.DATE, false, Comparison.EQUALS),
        DATE_NOT_EQUALS("DateNotEquals", Family.DATE, true, Comparison.EQUALS),
        DATE_LESS_THAN("DateLessThan", Family.DATE, false, Comparison.LESS_THAN),
        DATE_LESS_THAN_EQUALS("DateLessThanEquals", Family.DATE, false, Comparison.LESS_THAN_EQUALS),
        DATE_GREATER_THAN("DateGreaterThan", Family.DATE, false, Comparison.GREATER_THAN),
        DATE_GREATER_THAN_EQUALS("DateGreaterThanEquals", Family.DATE, false, Comparison.GREATER_THAN_EQUALS),
        BOOL("Bool", Family.BOOL, false),
        BINARY_EQUALS("BinaryEquals", Family.BINARY, false),
        IP_ADDRESS("IpAddress", Family.IP_ADDRESS, false),
        NOT_IP_ADDRESS("NotIpAddress", Family.IP_ADDRESS, true),
        // The Condition operators page: "The ArnEquals and ArnLike condition operators behave identically",
        // and so do ArnNotEquals and ArnNotLike. Both take wildcards.
        ARN_EQUALS("ArnEquals", Family.ARN, false),
        ARN_LIKE("ArnLike", Family.ARN, false),
        ARN_NOT_EQUALS("ArnNotEquals", Family.ARN, true),
        ARN_NOT_LIKE("ArnNotLike", Family.ARN, true),
        NULL("Null", Family.NULL, false);

        final String awsName;
        final Family family;
        final boolean negated;
        final StringMode stringMode;
        final Comparison comparison;

        BaseOperator(String awsName, boolean negated, StringMode stringMode) {
            this(awsName, Family.STRING, negated, stringMode, null);
        }

        BaseOperator(String awsName, Family family, boolean negated, Comparison comparison) {
            this(awsName, family, negated, null, comparison);
        }

        BaseOperator(String awsName, Family family, boolean negated) {
            this(awsName, family, negated, null, null);
        }

        BaseOperator(String awsName, Family family, boolean negated, StringMode stringMode, Comparison comparison) {
            this.awsName = awsName;
            this.family = family;
            this.negated = negated;
            this.stringMode = stringMode;
            this.comparison = comparison;
        }
    }

    /** An operator name split into its parts; {@code name} is as written. */
    private record Operator(String name, Quantifier quantifier, BaseOperator base, boolean ifExists) {

        static Operator parse(String name) {
            Quantifier quantifier = Quantifier.SINGLE;
            String rest = name;
            if (rest.startsWith(FOR_ANY_VALUE)) {
                quantifier = Quantifier.FOR_ANY_VALUE;
                rest = rest.substring(FOR_ANY_VALUE.length());
            } else if (rest.startsWith(FOR_ALL_VALUES)) {
                quantifier = Quantifier.FOR_ALL_VALUES;
                rest = rest.substring(FOR_ALL_VALUES.length());
            }
            boolean ifExists = rest.endsWith(IF_EXISTS);
            if (ifExists) {
                rest = rest.substring(0, rest.length() - IF_EXISTS.length());
            }
            BaseOperator base = OPERATORS.get(rest);
            if (base == null) {
                throw new IllegalArgumentException("Invalid Condition block: unknown condition operator '" + name
                        + "'. Operator names are case-sensitive, as in StringEquals, ForAnyValue:StringLike or"
                        + " NumericLessThanIfExists.");
            }
            if (base == BaseOperator.NULL && ifExists) {
                throw new IllegalArgumentException("Invalid Condition block: operator '" + name
                        + "' is not allowed because Null takes no IfExists suffix. Use Null alone.");
            }
            return new Operator(name, quantifier, base, ifExists);
        }

        /**
         * Returns the test's value for a key that the context reports as absent: TRUE with {@code IfExists}, else
         * TRUE for ForAllValues and FALSE for ForAnyValue, else FALSE for positive and TRUE for negated operators.
         * NOTE: The Condition operators page states that an IfExists test of an absent key evaluates as true,
         * with no exception for set operators, so {@code ForAnyValue:StringLikeIfExists} on an absent key is TRUE
         * here. Some third-party simulators return false for that case, and the AWS pages do not settle it.
         */
        Tri whenAbsent() {
            if (ifExists) {
                return Tri.TRUE;
            }
            return switch (quantifier) {
                case FOR_ALL_VALUES -> Tri.TRUE;
                case FOR_ANY_VALUE -> Tri.FALSE;
                case SINGLE -> Tri.of(base.negated);
            };
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Key tests

    /** The test of one key under any operator except Null. */
    private static final class MatchTest implements CompiledCondition.KeyTest {

        private final String key;
        private final String lookupKey;
        private final boolean negated;
        private final boolean everyValue;
        private final Tri whenAbsent;
        private final ValueMatcher<?> matcher;
        private final UnresolvedCondition description;

        MatchTest(Operator operator, String key, ValueMatcher<?> matcher, UnresolvedCondition description) {
            this.key = key;
            // Interned, so that all tests of one key pass the same string and the evaluator's per-decision cache of
            // context values can compare keys by identity.
            this.lookupKey = key.toLowerCase(java.util.Locale.ROOT).intern();
            this.negated = operator.base.negated;
            // Without a set prefix a key should carry one value ("Multivalued context keys require a condition
            // set operator"), and AWS does not say what happens when it carries several. Here a positive operator
            // holds when any context value matches, and a negated one when no context value matches, so that
            // StringNotEquals stays the negation of StringEquals.
            this.everyValue = operator.quantifier == Quantifier.FOR_ALL_VALUES
                    || (operator.quantifier == Quantifier.SINGLE && negated);
            this.whenAbsent = operator.whenAbsent();
            this.matcher = matcher;
            this.description = description;
        }

        @Override
        public Tri evaluate(ConditionContext context) {
            // Condition key names are case-insensitive; the lower-case form is computed once, at compile time.
            List<String> values = context.values(lookupKey);
            if (values == null) {
                return matcher instanceof DateMatcher dates ? fromBound(dates, context.dateBound(lookupKey)) : Tri.UNKNOWN;
            }
            if (values.isEmpty()) {
                return whenAbsent;
            }
            return everyValue ? everyValueHolds(values, context) : someValueHolds(values, context);
        }

        /**
         * Decides a date test of a key whose value is unknown but not earlier than the bound. The result is TRUE or
         * FALSE when every value from the bound on gives it, and an absent key too when the key may be absent.
         */
        private Tri fromBound(DateMatcher dates, ConditionContext.DateBound bound) {
            if (bound == null) {
                return Tri.UNKNOWN;
            }
            Tri present = switch (dates.matchFrom(bound.earliest())) {
                case MATCH -> Tri.of(!negated);
                case NO_MATCH -> Tri.of(negated);
                case UNKNOWN, INVALID -> Tri.UNKNOWN;
            };
            if (bound.mayBeAbsent() && present != whenAbsent) {
                return Tri.UNKNOWN;
            }
            return present;
        }

        private Tri someValueHolds(List<String> values, ConditionContext context) {
            Tri result = Tri.FALSE;
            for (String value : values) {
                result = result.or(valueHolds(value, context));
                if (result == Tri.TRUE) {
                    break;
                }
            }
            return result;
        }

        private Tri everyValueHolds(List<String> values, ConditionContext context) {
            Tri result = Tri.TRUE;
            for (String value : values) {
                result = result.and(valueHolds(value, context));
                if (result == Tri.FALSE) {
                    break;
                }
            }
            return result;
        }

        /** Applies the operator's polarity to one context value. */
        private Tri valueHolds(String value, ConditionContext context) {
            return switch (matcher.matchAny(value, context)) {
                case MATCH -> Tri.of(!negated);
                case NO_MATCH -> Tri.of(negated);
                case UNKNOWN -> Tri.UNKNOWN;
                case INVALID -> Tri.FALSE;
            };
        }

        @Override
        public UnresolvedCondition description() {
            return description;
        }
    }

    /**
     * The test of one key under {@code Null}: policy value {@code true} requires the key to be absent and
     * {@code false} requires it to be present. Two values are alternatives, as for any operator.
     *
     * <p>Under a set prefix each context value counts as one present value, so {@code ForAllValues:Null} holds
     * on an absent key and {@code ForAnyValue:Null} does not. AWS does not document Null with set prefixes, so this
     * follows PMapper's assertions for them.
     */
    private record NullTest(String lookupKey, Quantifier quantifier, boolean acceptsAbsent, boolean acceptsPresent,
                            UnresolvedCondition description) implements CompiledCondition.KeyTest {

        static NullTest compile(Operator operator, String key, List<String> values, UnresolvedCondition description) {
            boolean acceptsAbsent = false;
            boolean acceptsPresent = false;
            for (String value : values) {
                if (value.equalsIgnoreCase("true")) {
                    acceptsAbsent = true;
                } else if (value.equalsIgnoreCase("false")) {
                    acceptsPresent = true;
                } else {
                    throw invalid(operator.name, key, "has value '" + value + "', but Null takes true or false");
                }
            }
            // Lower-cased and interned once, as for MatchTest.
            String lookupKey = key.toLowerCase(java.util.Locale.ROOT).intern();
            return new NullTest(lookupKey, operator.quantifier, acceptsAbsent, acceptsPresent, description);
        }

        @Override
        public Tri evaluate(ConditionContext context) {
            // Condition key names are case-insensitive; the lower-case form is computed once, at compile time.
            List<String> values = context.values(lookupKey);
            if (values == null) {
                return Tri.UNKNOWN;
            }
            boolean absent = values.isEmpty();
            return switch (quantifier) {
                case SINGLE -> Tri.of(absent ? acceptsAbsent : acceptsPresent);
                case FOR_ALL_VALUES -> Tri.of(absent || acceptsPresent);
                case FOR_ANY_VALUE -> Tri.of(!absent && acceptsPresent);
            };
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Value matchers

    /** The result of comparing one context value with all policy values of a key, before the operator's polarity. */
    private enum Match {
        MATCH,
        NO_MATCH,
        /** No policy value matched for certain, and one contains a policy variable whose value is unknown. */
        UNKNOWN,
        /** The context value is not of the operator's type, which fails positive and negated operators alike. */
        INVALID
    }

    private static ValueMatcher<?> matcher(Operator operator, String key, List<String> values,
                                           boolean policyVariables) {
        BaseOperator base = operator.base;
        return switch (base.family) {
            case STRING -> new StringMatcher(base.stringMode, policyStrings(operator, key, values, policyVariables));
            case BOOL -> BoolMatcher.compile(operator, key, policyStrings(operator, key, values, policyVariables));
            case ARN -> new ArnMatcher(policyStrings(operator, key, values, policyVariables));
            // The Condition operators page: policy variables are not available with the numeric, date, binary
            // and IP address operators, so their values are parsed as written.
            case NUMERIC -> new NumericMatcher(base.comparison,
                    parseAll(operator, key, values, ConditionEvaluator::parseNumber, "a number"));
            case DATE -> new DateMatcher(base.comparison,
                    parseAll(operator, key, values, Dates::parse, "an ISO 8601 date or epoch seconds"));
            case BINARY -> new BinaryMatcher(
                    parseAll(operator, key, values, ConditionEvaluator::decodeBase64, "base64 text"));
            case IP_ADDRESS -> new IpMatcher(
                    parseAll(operator, key, values, IpRange::parse, "an IPv4 or IPv6 address or CIDR range"));
            case NULL -> throw new IllegalStateException("Null is compiled by NullTest");
        };
    }

    private static PolicyStrings policyStrings(Operator operator, String key, List<String> values,
                                               boolean policyVariables) {
        try {
            return PolicyStrings.of(values, policyVariables);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid Condition block: operator '" + operator.name + "', key '"
                    + key + "': " + e.getMessage(), e);
        }
    }

    private static <T> List<T> parseAll(Operator operator, String key, List<String> values,
                                        Function<String, T> parser, String expected) {
        List<T> parsed = new ArrayList<>(values.size());
        for (String value : values) {
            T result = parser.apply(value);
            if (result == null) {
                throw invalid(operator.name, key, "has value '" + value + "', which is not " + expected);
            }
            parsed.add(result);
        }
        return parsed;
    }

    /**
     * Compares context values with the parsed policy values of one key.
     *
     * @param <T> the parsed form of a context value
     */
    private abstract static class ValueMatcher<T> {

        private final int policyValueCount;

        ValueMatcher(int policyValueCount) {
            this.policyValueCount = policyValueCount;
        }

        /** Parses a context value once for all policy values, or returns null when it has the wrong type. */
        abstract T parseContextValue(String value);

        /** Compares a parsed context value with policy value {@code index}. Only policy variables give UNKNOWN. */
        abstract Tri matches(T contextValue, int index, ConditionContext context);

        final Match matchAny(String contextValue, ConditionContext context) {
            T parsed = parseContextValue(contextValue);
            if (parsed == null) {
                return Match.INVALID;
            }
            boolean unknown = false;
            for (int i = 0; i < policyValueCount; i++) {
                Tri match = matches(parsed, i, context);
                if (match == Tri.TRUE) {
                    return Match.MATCH;
                }
                unknown |= match == Tri.UNKNOWN;
            }
            return unknown ? Match.UNKNOWN : Match.NO_MATCH;
        }
    }

    /**
     * Policy values that may contain policy variables, with the substituted text and glob computed once for
     * each value that has none.
     */
    private static final class PolicyStrings {

        private final PolicyVariables.Template[] templates;
        private final String[] fixedTexts;
        private final int[][] fixedGlobs;

        private PolicyStrings(PolicyVariables.Template[] templates) {
            this.templates = templates;
            this.fixedTexts = new String[templates.length];
            this.fixedGlobs = new int[templates.length][];
            for (int i = 0; i < templates.length; i++) {
                if (!templates[i].hasVariables()) {
                    // Without variables the context is never consulted.
                    fixedTexts[i] = templates[i].substitute(ConditionContext.UNKNOWN);
                    fixedGlobs[i] = templates[i].glob(ConditionContext.UNKNOWN);
                }
            }
        }

        static PolicyStrings of(List<String> values, boolean policyVariables) {
            PolicyVariables.Template[] templates = new PolicyVariables.Template[values.size()];
            for (int i = 0; i < templates.length; i++) {
                String value = values.get(i);
                templates[i] = policyVariables
                        ? PolicyVariables.Template.parse(value) : PolicyVariables.Template.literal(value);
            }
            return new PolicyStrings(templates);
        }

        int size() {
            return templates.length;
        }

        boolean hasVariables(int index) {
            return fixedTexts[index] == null;
        }

        /** Returns value {@code index} with variables substituted, null when unknown, or NO_VALUE. */
        String text(int index, ConditionContext context) {
            String fixed = fixedTexts[index];
            return fixed != null ? fixed : templates[index].substitute(context);
        }

        /** Returns value {@code index} as a glob, null when unknown, or NO_VALUE_GLOB. */
        int[] glob(int index, ConditionContext context) {
            int[] fixed = fixedGlobs[index];
            return fixed != null ? fixed : templates[index].glob(context);
        }
    }

    /**
     * Compares a policy string with a substituted variable. A variable without a value makes this comparison
     * fail, so under a negated operator that policy value excludes nothing.
     * NOTE: The Variables page states that a match against a variable with no value "fails and causes the
     * statement to be invalid". This applies the failure to the one comparison, not to the whole statement.
     */
    private static Tri compareText(String expected, Predicate<String> comparison) {
        if (expected == null) {
            return Tri.UNKNOWN;
        }
        return PolicyVariables.isNoValue(expected) ? Tri.FALSE : Tri.of(comparison.test(expected));
    }

    private static final class StringMatcher extends ValueMatcher<String> {

        private final StringMode mode;
        private final PolicyStrings policy;

        StringMatcher(StringMode mode, PolicyStrings policy) {
            super(policy.size());
            this.mode = mode;
            this.policy = policy;
        }

        @Override
        String parseContextValue(String value) {
            return value;
        }

        @Override
        Tri matches(String value, int index, ConditionContext context) {
            if (mode == StringMode.LIKE) {
                int[] glob = policy.glob(index, context);
                if (glob == null) {
                    return Tri.UNKNOWN;
                }
                return glob == PolicyVariables.NO_VALUE_GLOB
                        ? Tri.FALSE : Tri.of(PolicyVariables.globMatches(glob, value));
            }
            String expected = policy.text(index, context);
            return mode == StringMode.IGNORE_CASE
                    ? compareText(expected, value::equalsIgnoreCase) : compareText(expected, value::equals);
        }
    }

    /**
     * {@code Bool}. The Condition operators page allows policy variables in Bool values, but the Variables page
     * lists Boolean among the operators without them. A {@code ${...}} in a Bool value can mean nothing but a
     * variable, so it is substituted.
     */
    private static final class BoolMatcher extends ValueMatcher<Boolean> {

        private final PolicyStrings policy;

        private BoolMatcher(PolicyStrings policy) {
            super(policy.size());
            this.policy = policy;
        }

        static BoolMatcher compile(Operator operator, String key, PolicyStrings policy) {
            for (int i = 0; i < policy.size(); i++) {
                String text = policy.text(i, ConditionContext.UNKNOWN);
                boolean valid = policy.hasVariables(i) || text.equalsIgnoreCase("true")
                        || text.equalsIgnoreCase("false");
                if (!valid) {
                    throw invalid(operator.name, key, "has value '" + text + "', but Bool takes true or false");
                }
            }
            return new BoolMatcher(policy);
        }

        @Override
        Boolean parseContextValue(String value) {
            return value.equalsIgnoreCase("true");
        }

        @Override
        Tri matches(Boolean value, int index, ConditionContext context) {
            String expected = policy.text(index, context);
            return compareText(expected, text -> text.equalsIgnoreCase("true") == value);
        }
    }

    /**
     * The ARN operators. The Condition operators page: "Each of the six colon-delimited components of the ARN is
     * checked separately", so a {@code *} in one part never spans a colon, except in the resource part, which
     * takes the rest of the ARN. A policy value with fewer than six parts, such as {@code *}, is matched against
     * the whole ARN, as {@link Arns#matches} does for the Resource element.
     */
    private static final class ArnMatcher extends ValueMatcher<ArnMatcher.ParsedArn> {

        private static final int PARTS = 6;

        private final PolicyStrings policy;
        private final int[][][] fixedParts;

        ArnMatcher(PolicyStrings policy) {
            super(policy.size());
            this.policy = policy;
            this.fixedParts = new int[policy.size()][][];
            for (int i = 0; i < policy.size(); i++) {
                if (!policy.hasVariables(i)) {
                    fixedParts[i] = split(policy.glob(i, ConditionContext.UNKNOWN));
                }
            }
        }

        record ParsedArn(String text, String[] parts) {
        }

        /** Splits an ARN into its six parts, or returns null when it does not start with {@code arn:} or has fewer. */
        @Override
        ParsedArn parseContextValue(String value) {
            if (!value.startsWith("arn:")) {
                return null;
            }
            String[] parts = new String[PARTS];
            int start = 0;
            for (int i = 0; i < PARTS - 1; i++) {
                int colon = value.indexOf(':', start);
                if (colon < 0) {
                    return null;
                }
                parts[i] = value.substring(start, colon);
                start = colon + 1;
            }
            parts[PARTS - 1] = value.substring(start);
            return new ParsedArn(value, parts);
        }

        @Override
        Tri matches(ParsedArn arn, int index, ConditionContext context) {
            int[][] parts = fixedParts[index];
            if (parts == null) {
                int[] glob = policy.glob(index, context);
                if (glob == null) {
                    return Tri.UNKNOWN;
                }
                if (glob == PolicyVariables.NO_VALUE_GLOB) {
                    return Tri.FALSE;
                }
                parts = split(glob);
            }
            if (parts.length == 1) {
                return Tri.of(PolicyVariables.globMatches(parts[0], arn.text()));
            }
            for (int i = 0; i < PARTS; i++) {
                if (!PolicyVariables.globMatches(parts[i], arn.parts()[i])) {
                    return Tri.FALSE;
                }
            }
            return Tri.TRUE;
        }

        /** Splits a glob at its first five colons. A glob with fewer colons stays whole. */
        private static int[][] split(int[] glob) {
            int[][] parts = new int[PARTS][];
            int start = 0;
            for (int i = 0; i < PARTS - 1; i++) {
                int colon = indexOf(glob, ':', start);
                if (colon < 0) {
                    return new int[][] {glob};
                }
                parts[i] = Arrays.copyOfRange(glob, start, colon);
                start = colon + 1;
            }
            parts[PARTS - 1] = Arrays.copyOfRange(glob, start, glob.length);
            return parts;
        }

        private static int indexOf(int[] codes, int code, int from) {
            for (int i = from; i < codes.length; i++) {
                if (codes[i] == code) {
                    return i;
                }
            }
            return -1;
        }
    }

    private static final class NumericMatcher extends ValueMatcher<BigDecimal> {

        private final Comparison comparison;
        private final BigDecimal[] policy;

        NumericMatcher(Comparison comparison, List<BigDecimal> policy) {
            super(policy.size());
            this.comparison = comparison;
            this.policy = policy.toArray(new BigDecimal[0]);
        }

        @Override
        BigDecimal parseContextValue(String value) {
            return parseNumber(value);
        }

        @Override
        Tri matches(BigDecimal value, int index, ConditionContext context) {
            return Tri.of(comparison.holds(value.compareTo(policy[index])));
        }
    }

    private static final class DateMatcher extends ValueMatcher<Instant> {

        private final Comparison comparison;
        private final Instant[] policy;

        DateMatcher(Comparison comparison, List<Instant> policy) {
            super(policy.size());
            this.comparison = comparison;
            this.policy = policy.toArray(new Instant[0]);
        }

        @Override
        Instant parseContextValue(String value) {
            return Dates.parse(value);
        }

        @Override
        Tri matches(Instant value, int index, ConditionContext context) {
            return Tri.of(comparison.holds(value.compareTo(policy[index])));
        }

        /**
         * Compares every value from {@code earliest} on with the policy values: MATCH when each of them matches
         * some policy value, NO_MATCH when none of them matches any, else UNKNOWN.
         */
        Match matchFrom(Instant earliest) {
            boolean noneMatches = true;
            for (Instant value : policy) {
                // Whether the comparison holds for every later value, and for none of them.
                boolean holdsForAll = switch (comparison) {
                    case GREATER_THAN -> value.isBefore(earliest);
                    case GREATER_THAN_EQUALS -> !value.isAfter(earliest);
                    case EQUALS, LESS_THAN, LESS_THAN_EQUALS -> false;
                };
                boolean holdsForNone = switch (comparison) {
                    case EQUALS, LESS_THAN_EQUALS -> value.isBefore(earliest);
                    case LESS_THAN -> !value.isAfter(earliest);
                    case GREATER_THAN, GREATER_THAN_EQUALS -> false;
                };
                if (holdsForAll) {
                    return Match.MATCH;
                }
                noneMatches &= holdsForNone;
            }
            return noneMatches ? Match.NO_MATCH : Match.UNKNOWN;
        }
    }

    /**
     * {@code BinaryEquals}, which compares bytes with the base64-decoded policy value. Context values are taken
     * as base64 text too, since a {@link ConditionContext} stores strings.
     */
    private static final class BinaryMatcher extends ValueMatcher<byte[]> {

        private final byte[][] policy;

        BinaryMatcher(List<byte[]> policy) {
            super(policy.size());
            this.policy = policy.toArray(new byte[0][]);
        }

        @Override
        byte[] parseContextValue(String value) {
            return decodeBase64(value);
        }

        @Override
        Tri matches(byte[] value, int index, ConditionContext context) {
            return Tri.of(Arrays.equals(value, policy[index]));
        }
    }

    private static final class IpMatcher extends ValueMatcher<byte[]> {

        private final IpRange[] policy;

        IpMatcher(List<IpRange> policy) {
            super(policy.size());
            this.policy = policy.toArray(new IpRange[0]);
        }

        @Override
        byte[] parseContextValue(String value) {
            return IpRange.parseAddress(value);
        }

        @Override
        Tri matches(byte[] address, int index, ConditionContext context) {
            return Tri.of(policy[index].contains(address));
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Value parsing

    /** Parses an integer or decimal number, or returns null when {@code text} is not one. */
    private static BigDecimal parseNumber(String text) {
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Decodes standard base64 (RFC 4648, with padding), or returns null when {@code text} is not valid base64. */
    private static byte[] decodeBase64(String text) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Dates as the Condition operators page allows them: the W3C profile of ISO 8601 or epoch seconds.
     *
     * <p>Accepted forms: {@code YYYY-MM}, {@code YYYY-MM-DD}, {@code YYYY-MM-DDThh:mm}, with optional seconds and
     * fraction, and a zone of {@code Z} or {@code +hh:mm}. Epoch seconds may have a fraction, such as
     * {@code 1533859200.0}. A date without a time starts at midnight and a time without a zone is UTC.
     * NOTE: The W3C year-only form {@code YYYY} is read as epoch seconds, because the two cannot be distinguished.
     */
    private static final class Dates {

        private static final DateTimeFormatter DATE_TIME = new DateTimeFormatterBuilder()
                .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
                .optionalStart().appendOffsetId().optionalEnd()
                .toFormatter(Locale.ROOT)
                .withResolverStyle(ResolverStyle.STRICT)
                .withChronology(IsoChronology.INSTANCE);

        private Dates() {
        }

        /** Returns the instant of {@code text}, or null when it is not a date in an accepted form. */
        static Instant parse(String text) {
            try {
                if (isEpochSeconds(text)) {
                    return epochSeconds(text);
                }
                if (text.length() > 10 && text.charAt(10) == 'T') {
                    TemporalAccessor parsed = DATE_TIME.parseBest(text, OffsetDateTime::from, LocalDateTime::from);
                    return parsed instanceof OffsetDateTime withZone
                            ? withZone.toInstant() : ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
                }
                if (text.length() == 10) {
                    return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
                }
                if (text.length() == 7) {
                    return YearMonth.parse(text).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
                }
                return null;
            } catch (DateTimeException | ArithmeticException e) {
                return null;
            }
        }

        private static boolean isEpochSeconds(String text) {
            int i = text.startsWith("-") ? 1 : 0;
            int digits = 0;
            while (i < text.length() && isAsciiDigit(text.charAt(i))) {
                i++;
                digits++;
            }
            if (i < text.length() && text.charAt(i) == '.') {
                i++;
                while (i < text.length() && isAsciiDigit(text.charAt(i))) {
                    i++;
                }
            }
            return digits > 0 && i == text.length();
        }

        private static boolean isAsciiDigit(char c) {
            return c >= '0' && c <= '9';
        }

        private static Instant epochSeconds(String text) {
            BigDecimal seconds = new BigDecimal(text);
            BigDecimal whole = seconds.setScale(0, RoundingMode.FLOOR);
            int nanos = seconds.subtract(whole).movePointRight(9).intValue();
            return Instant.ofEpochSecond(whole.longValueExact(), nanos);
        }
    }

    /**
     * An IPv4 or IPv6 CIDR range. The Condition operators page: a value without a prefix length has the default
     * prefix of /32, which here means the full length, so /128 for IPv6. Host bits below the prefix are ignored.
     * An IPv4 address never falls in an IPv6 range, nor the reverse, and {@code ::ffff:a.b.c.d} is IPv6.
     * Parsing is done here because {@link java.net.InetAddress} may query DNS for text that is not an address.
     */
    private static final class IpRange {

        private final byte[] network;
        private final int prefixLength;

        private IpRange(byte[] network, int prefixLength) {
            this.network = network;
            this.prefixLength = prefixLength;
        }

        /** Parses {@code address} or {@code address/prefix}, or returns null when {@code text} is neither. */
        static IpRange parse(String text) {
            int slash = text.indexOf('/');
            byte[] address = parseAddress(slash < 0 ? text : text.substring(0, slash));
            if (address == null) {
                return null;
            }
            int bits = address.length * 8;
            if (slash < 0) {
                return new IpRange(address, bits);
            }
            int prefix = parsePrefix(text.substring(slash + 1), bits);
            return prefix < 0 ? null : new IpRange(address, prefix);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int wholeBytes = prefixLength / 8;
            for (int i = 0; i < wholeBytes; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int remainingBits = prefixLength % 8;
            if (remainingBits == 0) {
                return true;
            }
            int mask = (0xFF << (8 - remainingBits)) & 0xFF;
            return (address[wholeBytes] & mask) == (network[wholeBytes] & mask);
        }

        /** Returns 4 bytes for IPv4 text, 16 for IPv6, or null when {@code text} is neither. */
        static byte[] parseAddress(String text) {
            return text.indexOf(':') >= 0 ? parseIpv6(text) : parseIpv4(text);
        }

        private static int parsePrefix(String text, int maxBits) {
            if (text.isEmpty() || text.length() > 3) {
                return -1;
            }
            int value = 0;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c < '0' || c > '9') {
                    return -1;
                }
                value = value * 10 + (c - '0');
            }
            return value <= maxBits ? value : -1;
        }

        /** Parses dotted-quad IPv4: four decimal numbers from 0 to 255. */
        private static byte[] parseIpv4(String text) {
            byte[] address = new byte[4];
            int part = 0;
            int value = -1;
            for (int i = 0; i <= text.length(); i++) {
                char c = i < text.length() ? text.charAt(i) : '.';
                if (c == '.') {
                    if (value < 0 || part == 4) {
                        return null;
                    }
                    address[part++] = (byte) value;
                    value = -1;
                } else if (c >= '0' && c <= '9') {
                    value = (value < 0 ? 0 : value * 10) + (c - '0');
                    if (value > 255) {
                        return null;
                    }
                } else {
                    return null;
                }
            }
            return part == 4 ? address : null;
        }

        /** Parses IPv6 text (RFC 4291 section 2.2): hex groups, one {@code ::}, and an optional IPv4 tail. */
        private static byte[] parseIpv6(String text) {
            byte[] address = new byte[16];
            String groups = text;
            int lastColon = text.lastIndexOf(':');
            boolean ipv4Tail = text.indexOf('.', lastColon) >= 0;
            if (ipv4Tail) {
                byte[] ipv4 = parseIpv4(text.substring(lastColon + 1));
                if (ipv4 == null) {
                    return null;
                }
                System.arraycopy(ipv4, 0, address, 12, 4);
                groups = text.substring(0, lastColon + 1);
                if (!groups.endsWith("::")) {
                    groups = groups.substring(0, groups.length() - 1);
                }
            }
            int groupCount = ipv4Tail ? 6 : 8;
            return fillGroups(groups, groupCount, address) ? address : null;
        }

        /** Writes {@code groupCount} 16-bit groups from {@code text} into {@code address}, expanding {@code ::}. */
        private static boolean fillGroups(String text, int groupCount, byte[] address) {
            int gap = text.indexOf("::");
            if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
                return false;
            }
            int[] head = hexGroups(gap < 0 ? text : text.substring(0, gap));
            int[] tail = gap < 0 ? new int[0] : hexGroups(text.substring(gap + 2));
            if (head == null || tail == null) {
                return false;
            }
            int written = head.length + tail.length;
            if (gap < 0 ? written != groupCount : written >= groupCount) {
                return false;
            }
            for (int i = 0; i < head.length; i++) {
                putGroup(address, i, head[i]);
            }
            for (int i = 0; i < tail.length; i++) {
                putGroup(address, groupCount - tail.length + i, tail[i]);
            }
            return true;
        }

        private static void putGroup(byte[] address, int group, int value) {
            address[2 * group] = (byte) (value >>> 8);
            address[2 * group + 1] = (byte) value;
        }

        /** Parses colon-separated groups of one to four hex digits, or returns null on an empty or invalid group. */
        private static int[] hexGroups(String text) {
            if (text.isEmpty()) {
                return new int[0];
            }
            int[] groups = new int[8];
            int count = 0;
            int value = 0;
            int digits = 0;
            for (int i = 0; i <= text.length(); i++) {
                char c = i < text.length() ? text.charAt(i) : ':';
                if (c == ':') {
                    if (digits == 0 || count == groups.length) {
                        return null;
                    }
                    groups[count++] = value;
                    value = 0;
                    digits = 0;
                } else {
                    // Character.digit alone would also accept non-ASCII digits.
                    int digit = c < 128 ? Character.digit(c, 16) : -1;
                    if (digit < 0 || ++digits > 4) {
                        return null;
                    }
                    value = value * 16 + digit;
                }
            }
            return Arrays.copyOf(groups, count);
        }
    }
}
