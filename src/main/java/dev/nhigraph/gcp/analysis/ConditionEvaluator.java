package dev.nhigraph.gcp.analysis;

import dev.nhigraph.gcp.analysis.ConditionExpression.Binary;
import dev.nhigraph.gcp.analysis.ConditionExpression.Call;
import dev.nhigraph.gcp.analysis.ConditionExpression.Identifier;
import dev.nhigraph.gcp.analysis.ConditionExpression.Index;
import dev.nhigraph.gcp.analysis.ConditionExpression.ListLiteral;
import dev.nhigraph.gcp.analysis.ConditionExpression.Literal;
import dev.nhigraph.gcp.analysis.ConditionExpression.Node;
import dev.nhigraph.gcp.analysis.ConditionExpression.Select;
import dev.nhigraph.gcp.analysis.ConditionExpression.Ternary;
import dev.nhigraph.gcp.analysis.ConditionExpression.Unary;
import dev.nhigraph.policy.eval.Tri;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Decides IAM conditions offline, as far as the snapshot allows, with three-valued logic.
 *
 * <p>What is decided:
 * <ul>
 *   <li>{@code request.time} compared with {@code timestamp("...")}. A grant whose end has passed is FALSE, because
 *       time does not go back. A grant whose start lies after the snapshot is UNKNOWN: it will take effect without
 *       anyone changing a policy, so it is reported as conditional rather than dropped.</li>
 *   <li>Recurring windows, built from {@code request.time.getHours(tz)}, {@code getMinutes}, {@code getDayOfWeek},
 *       {@code getDayOfMonth}, {@code getDate}, {@code getDayOfYear} and {@code getMonth}. They are TRUE when some
 *       instant in the week (or the year, for the calendar accessors) after the snapshot satisfies them, because the
 *       holder only has to wait for the window. The search steps by the hour, or by the minute when the condition
 *       reads minutes. {@code getSeconds} and {@code getMilliseconds} are UNKNOWN.</li>
 *   <li>{@code resource.name} ({@code ==}, {@code !=}, {@code startsWith}, {@code endsWith}, {@code contains},
 *       {@code matches}), {@code resource.type} and {@code resource.service}, against the resource the access is
 *       asked about. A resource is known by several names (full, relative, with project id or number), and a test
 *       on the name holds when it holds for any of them.</li>
 *   <li>{@code &&}, {@code ||}, {@code !}, {@code ?:}, comparisons, {@code in} lists and parentheses.</li>
 * </ul>
 * Everything else (tags, {@code request.auth}, {@code api.getAttribute}, access levels, a resource attribute that the
 * caller cannot give) is UNKNOWN, and the outcome quotes the sub-expressions that stayed undecided.
 *
 * <p>Results are cached per expression, and per resource for expressions that read {@code resource}. Instances are
 * safe to share between threads.
 */
final class ConditionEvaluator {

    /**
     * The resource attributes of one access request.
     *
     * @param names   every name the resource is known by, or null when the names cannot be given (then tests on
     *                {@code resource.name} are UNKNOWN)
     * @param type    the resource type such as {@code storage.googleapis.com/Bucket}, or null when unknown
     * @param service the service such as {@code storage.googleapis.com}, or null when unknown
     * @param child   whether the request is on an unnamed child of the resource, such as an object in a bucket or
     *                a version of a secret, whose name starts with the resource's name and a slash
     */
    record ResourceContext(Set<String> names, String type, String service, boolean child) {

        static final ResourceContext UNKNOWN = new ResourceContext(null, null, null, false);

        String cacheKey() {
            return names + "|" + type + "|" + service + "|" + child;
        }
    }

    /**
     * The decision on one condition.
     *
     * @param value     TRUE, FALSE, or UNKNOWN when the snapshot cannot decide it
     * @param note      why, in one sentence, or null when the condition is plainly true
     * @param undecided the sub-expressions that could not be decided, when {@code value} is UNKNOWN
     */
    record Outcome(Tri value, String note, List<String> undecided) {
    }

    private static final Set<String> WEEKLY_ACCESSORS = Set.of("getHours", "getMinutes", "getDayOfWeek");
    private static final Set<String> YEARLY_ACCESSORS = Set.of("getMonth", "getDate", "getDayOfMonth", "getDayOfYear");
    private static final Set<String> MINUTE_ACCESSORS = Set.of("getMinutes");

    private final Instant snapshotTime;
    private final Map<String, Parsed> parsed = new ConcurrentHashMap<>();
    private final Map<String, Outcome> outcomes = new ConcurrentHashMap<>();

    ConditionEvaluator(Instant snapshotTime) {
        this.snapshotTime = snapshotTime;
    }

    /** The parse of one expression and what it reads, computed once. */
    private record Parsed(Node root, String error, boolean readsResource, boolean readsTime, Set<String> accessors,
                          List<Instant> timestampLiterals) {
    }

    /** Decides {@code expression} for a request on {@code resource} at the snapshot time and after. */
    Outcome evaluate(String expression, ResourceContext resource) {
        Parsed parse = parsed.computeIfAbsent(expression, ConditionEvaluator::parse);
        if (parse.error != null) {
            return new Outcome(Tri.UNKNOWN, "The condition could not be parsed (" + parse.error + ")",
                    List.of(expression));
        }
        String key = parse.readsResource ? expression + "\u0000" + resource.cacheKey() : expression;
        return outcomes.computeIfAbsent(key, k -> decide(parse, resource));
    }

    /** Returns the syntax error of {@code expression}, or null when it parses. */
    String parseError(String expression) {
        return parsed.computeIfAbsent(expression, ConditionEvaluator::parse).error;
    }

    private static Parsed parse(String expression) {
        Node root;
        try {
            root = ConditionExpression.parse(expression);
        } catch (ConditionExpression.ParseException e) {
            return new Parsed(null, e.getMessage(), false, false, Set.of(), List.of());
        }
        Scan scan = new Scan();
        scan.visit(root);
        return new Parsed(root, null, scan.readsResource, scan.readsTime, Set.copyOf(scan.accessors),
                List.copyOf(scan.timestamps));
    }

    // ---- the search over time -------------------------------------------------------------------------------------

    private Outcome decide(Parsed parse, ResourceContext resource) {
        BoolValue atSnapshot = truth(parse.root, resource, snapshotTime, snapshotTime);
        if (atSnapshot.value == Tri.TRUE || !parse.readsTime) {
            return outcome(atSnapshot, null);
        }

        // Phase 1: absolute times stay at the snapshot while recurring accessors run over the coming week or year.
        BoolValue recurring = bestOverWindow(parse, resource, snapshotTime);
        if (recurring.value == Tri.TRUE) {
            return new Outcome(Tri.TRUE, "The condition is a recurring time window that holds at some time after the"
                    + " snapshot, so the holder can wait for it.", List.of());
        }
        if (recurring.value == Tri.UNKNOWN) {
            return outcome(recurring, null);
        }

        // Phase 2: absolute times move to each later instant named in the condition, for grants not yet valid.
        for (Instant start : parse.timestampLiterals) {
            if (!start.isAfter(snapshotTime)) {
                continue;
            }
            for (Instant candidate : List.of(start, start.plusSeconds(1))) {
                BoolValue later = bestOverWindow(parse, resource, candidate);
                if (later.value != Tri.FALSE) {
                    List<String> undecided = new ArrayList<>(later.reasons);
                    undecided.add(0, "request.time (valid from " + candidate + ")");
                    return new Outcome(Tri.UNKNOWN, "The condition is false at the snapshot time but becomes true at "
                            + candidate + ", without any policy change.", List.copyOf(undecided));
                }
            }
        }
        return new Outcome(Tri.FALSE, "The condition is false at the snapshot time (" + snapshotTime
                + ") and at every later time, so the grant has expired.", List.of());
    }

    /** Evaluates with absolute time {@code now} while the recurring accessors step over the window after it. */
    private BoolValue bestOverWindow(Parsed parse, ResourceContext resource, Instant now) {
        boolean yearly = parse.accessors.stream().anyMatch(YEARLY_ACCESSORS::contains);
        boolean weekly = yearly || parse.accessors.stream().anyMatch(WEEKLY_ACCESSORS::contains);
        if (!weekly) {
            return truth(parse.root, resource, now, now);
        }
        Duration period = yearly ? Duration.ofDays(367) : Duration.ofDays(8);
        Duration step = parse.accessors.stream().anyMatch(MINUTE_ACCESSORS::contains)
                ? Duration.ofMinutes(1) : Duration.ofHours(1);
        BoolValue best = BoolValue.FALSE;
        Instant end = now.plus(period);
        for (Instant t = now; t.isBefore(end); t = t.plus(step)) {
            BoolValue value = truth(parse.root, resource, now, t);
            if (value.value == Tri.TRUE) {
                return value;
            }
            if (value.value == Tri.UNKNOWN && best.value == Tri.FALSE) {
                best = value;
            }
        }
        return best;
    }

    private static Outcome outcome(BoolValue value, String note) {
        if (value.value == Tri.UNKNOWN) {
            return new Outcome(Tri.UNKNOWN, "The snapshot cannot decide " + String.join(", ", value.reasons) + ".",
                    value.reasons);
        }
        if (value.value == Tri.FALSE) {
            return new Outcome(Tri.FALSE, note == null ? "The condition is false for this request." : note, List.of());
        }
        return new Outcome(Tri.TRUE, note, List.of());
    }

    // ---- values ---------------------------------------------------------------------------------------------------

    private sealed interface Value permits BoolValue, StringValue, IntValue, DoubleValue, TimeValue, DurationValue,
            ListValue, NameValue, ChildType, NullValue, UnknownValue, RequestTime {
    }

    /** A truth value, with the undecided sub-expressions in {@code reasons} when it is UNKNOWN. */
    private record BoolValue(Tri value, List<String> reasons) implements Value {
        static final BoolValue TRUE = new BoolValue(Tri.TRUE, List.of());
        static final BoolValue FALSE = new BoolValue(Tri.FALSE, List.of());

        static BoolValue of(boolean value) {
            return value ? TRUE : FALSE;
        }
    }

    private record StringValue(String value) implements Value {
    }

    private record IntValue(long value) implements Value {
    }

    private record DoubleValue(double value) implements Value {
    }

    private record TimeValue(Instant value) implements Value {
    }

    private record DurationValue(Duration value) implements Value {
    }

    private record ListValue(List<Value> values) implements Value {
    }

    /**
     * {@code resource.name}: every form of the resource's name, or of its parent's name when {@code child} is set and
     * the request is on a child the snapshot does not name.
     */
    private record NameValue(Set<String> names, boolean child) implements Value {
    }

    /** {@code resource.type} of an unnamed child: unknown, but of the parent's service. */
    private record ChildType(String service) implements Value {
    }

    private record NullValue() implements Value {
    }

    private record UnknownValue(List<String> reasons) implements Value {
    }

    /**
     * {@code request.time}: compared as the absolute instant, while its accessors ({@code getHours} and so on) read
     * the instant of the recurring search.
     */
    private record RequestTime(Instant absolute, Instant recurring) implements Value {
    }

    private static UnknownValue unknown(Node node) {
        return new UnknownValue(List.of(node.text()));
    }

    // ---- evaluation -----------------------------------------------------------------------------------------------

    private BoolValue truth(Node root, ResourceContext resource, Instant absolute, Instant recurring) {
        return asBool(new Evaluation(resource, absolute, recurring).eval(root), root);
    }

    private static BoolValue asBool(Value value, Node node) {
        if (value instanceof BoolValue bool) {
            return bool;
        }
        if (value instanceof UnknownValue unknown) {
            return new BoolValue(Tri.UNKNOWN, unknown.reasons);
        }
        return new BoolValue(Tri.UNKNOWN, List.of(node.text() + " (not a boolean)"));
    }

    private static final class Evaluation {

        private final ResourceContext resource;
        private final Instant absolute;
        private final Instant recurring;

        Evaluation(ResourceContext resource, Instant absolute, Instant recurring) {
            this.resource = resource;
            this.absolute = absolute;
            this.recurring = recurring;
        }

        Value eval(Node node) {
            if (node instanceof Literal literal) {
                return literal(literal);
            }
            if (node instanceof ListLiteral list) {
                List<Value> values = new ArrayList<>();
                for (Node element : list.elements()) {
                    values.add(eval(element));
                }
                return new ListValue(values);
            }
            if (node instanceof Identifier || node instanceof Select) {
                return attribute(node);
            }
            if (node instanceof Unary unary) {
                return unary(unary);
            }
            if (node instanceof Binary binary) {
                return binary(binary);
            }
            if (node instanceof Ternary ternary) {
                BoolValue condition = asBool(eval(ternary.condition()), ternary.condition());
                if (condition.value == Tri.TRUE) {
                    return eval(ternary.whenTrue());
                }
                if (condition.value == Tri.FALSE) {
                    return eval(ternary.whenFalse());
                }
                return new UnknownValue(condition.reasons);
            }
            if (node instanceof Call call) {
                return call(call);
            }
            if (node instanceof Index) {
                return unknown(node);
            }
            return unknown(node);
        }

        private static Value literal(Literal literal) {
            Object value = literal.value();
            if (value instanceof String s) {
                return new StringValue(s);
            }
            if (value instanceof Long l) {
                return new IntValue(l);
            }
            if (value instanceof Double d) {
                return new DoubleValue(d);
            }
            if (value instanceof Boolean b) {
                return BoolValue.of(b);
            }
            return new NullValue();
        }

        /** Resolves {@code request.time} and the {@code resource} attributes. Every other attribute is UNKNOWN. */
        private Value attribute(Node node) {
            String path = pathOf(node);
            if (path == null) {
                return unknown(node);
            }
            switch (path) {
                case "request.time":
                    return new RequestTime(absolute, recurring);
                case "resource.name":
                    return resource.names() == null ? unknown(node) : new NameValue(resource.names(), resource.child());
                case "resource.type":
                    if (resource.type() != null) {
                        return new StringValue(resource.type());
                    }
                    return resource.child() && resource.service() != null ? new ChildType(resource.service())
                            : unknown(node);
                case "resource.service":
                    return resource.service() == null ? unknown(node) : new StringValue(resource.service());
                default:
                    return unknown(node);
            }
        }

        private Value unary(Unary unary) {
            Value operand = eval(unary.operand());
            if (unary.operator().equals("!")) {
                BoolValue bool = asBool(operand, unary.operand());
                return new BoolValue(bool.value.not(), bool.reasons);
            }
            if (operand instanceof IntValue i) {
                return new IntValue(-i.value);
            }
            if (operand instanceof DoubleValue d) {
                return new DoubleValue(-d.value);
            }
            return unknown(unary);
        }

        private Value binary(Binary binary) {
            String operator = binary.operator();
            if (operator.equals("&&") || operator.equals("||")) {
                BoolValue left = asBool(eval(binary.left()), binary.left());
                BoolValue right = asBool(eval(binary.right()), binary.right());
                Tri value = operator.equals("&&") ? left.value.and(right.value) : left.value.or(right.value);
                if (value != Tri.UNKNOWN) {
                    return BoolValue.of(value == Tri.TRUE);
                }
                List<String> reasons = new ArrayList<>();
                if (left.value == Tri.UNKNOWN) {
                    reasons.addAll(left.reasons);
                }
                if (right.value == Tri.UNKNOWN) {
                    reasons.addAll(right.reasons);
                }
                return new BoolValue(Tri.UNKNOWN, List.copyOf(reasons));
            }
            Value left = eval(binary.left());
            Value right = eval(binary.right());
            if (left instanceof UnknownValue || right instanceof UnknownValue) {
                List<String> reasons = new ArrayList<>();
                if (left instanceof UnknownValue u) {
                    reasons.addAll(u.reasons);
                }
                if (right instanceof UnknownValue u) {
                    reasons.addAll(u.reasons);
                }
                return new UnknownValue(List.copyOf(reasons));
            }
            switch (operator) {
                case "==":
                    return equality(left, right, binary);
                case "!=": {
                    Value equal = equality(left, right, binary);
                    return equal instanceof BoolValue b ? new BoolValue(b.value.not(), b.reasons) : equal;
                }
                case "<":
                case "<=":
                case ">":
                case ">=":
                    return ordering(operator, left, right, binary);
                case "in":
                    return membership(left, right, binary);
                case "+":
                case "-":
                    return arithmetic(operator, left, right, binary);
                default:
                    return unknown(binary);
            }
        }

        private static Value equality(Value left, Value right, Node node) {
            if (left instanceof NameValue name && right instanceof StringValue s) {
                return nameEquals(name, s.value, node);
            }
            if (right instanceof NameValue name && left instanceof StringValue s) {
                return nameEquals(name, s.value, node);
            }
            if (left instanceof ChildType child && right instanceof StringValue s) {
                return s.value.startsWith(child.service + "/") ? unknown(node) : BoolValue.FALSE;
            }
            if (right instanceof ChildType child && left instanceof StringValue s) {
                return s.value.startsWith(child.service + "/") ? unknown(node) : BoolValue.FALSE;
            }
            if (left instanceof RequestTime || right instanceof RequestTime) {
                return ordering("==", left, right, node);
            }
            Object a = comparable(left);
            Object b = comparable(right);
            if (a == null || b == null) {
                return unknown(node);
            }
            if (a instanceof Double || b instanceof Double) {
                if (a instanceof Number x && b instanceof Number y) {
                    return BoolValue.of(x.doubleValue() == y.doubleValue());
                }
                return unknown(node);
            }
            if (a.getClass() != b.getClass()) {
                return unknown(node);
            }
            return BoolValue.of(a.equals(b));
        }

        /**
         * Compares {@code resource.name} with a string. For an unnamed child, only a string that extends the parent's
         * name may match, and whether it does stays undecided.
         */
        private static Value nameEquals(NameValue name, String value, Node node) {
            if (!name.child) {
                return BoolValue.of(name.names.contains(value));
            }
            return name.names.stream().anyMatch(n -> value.startsWith(n + "/")) ? unknown(node) : BoolValue.FALSE;
        }

        /** Returns a plain Java value to compare, or null for values that have none. */
        private static Object comparable(Value value) {
            if (value instanceof StringValue s) {
                return s.value;
            }
            if (value instanceof IntValue i) {
                return i.value;
            }
            if (value instanceof DoubleValue d) {
                return d.value;
            }
            if (value instanceof BoolValue b && b.value != Tri.UNKNOWN) {
                return b.value == Tri.TRUE;
            }
            if (value instanceof TimeValue t) {
                return t.value;
            }
            if (value instanceof RequestTime r) {
                return r.absolute;
            }
            if (value instanceof DurationValue d) {
                return d.value;
            }
            if (value instanceof NullValue) {
                return ConditionExpression.NULL;
            }
            return null;
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private static Value ordering(String operator, Value left, Value right, Node node) {
            Object a = comparable(left);
            Object b = comparable(right);
            if (a == null || b == null) {
                return unknown(node);
            }
            int compared;
            if (a instanceof Number x && b instanceof Number y) {
                compared = Double.compare(x.doubleValue(), y.doubleValue());
            } else if (a.getClass() == b.getClass() && a instanceof Comparable c) {
                compared = c.compareTo(b);
            } else {
                return unknown(node);
            }
            switch (operator) {
                case "<": return BoolValue.of(compared < 0);
                case "<=": return BoolValue.of(compared <= 0);
                case ">": return BoolValue.of(compared > 0);
                case ">=": return BoolValue.of(compared >= 0);
                default: return BoolValue.of(compared == 0);
            }
        }

        private static Value membership(Value element, Value container, Node node) {
            if (!(container instanceof ListValue list)) {
                return unknown(node);
            }
            boolean undecided = false;
            for (Value candidate : list.values) {
                Value equal = equality(element, candidate, node);
                if (equal instanceof BoolValue b && b.value == Tri.TRUE) {
                    return BoolValue.TRUE;
                }
                if (!(equal instanceof BoolValue b) || b.value == Tri.UNKNOWN) {
                    undecided = true;
                }
            }
            return undecided ? unknown(node) : BoolValue.FALSE;
        }

        private static Value arithmetic(String operator, Value left, Value right, Node node) {
            Instant time = null;
            if (left instanceof TimeValue t) {
                time = t.value;
            } else if (left instanceof RequestTime r) {
                time = r.absolute;
            }
            if (time != null && right instanceof DurationValue d) {
                return new TimeValue(operator.equals("+") ? time.plus(d.value) : time.minus(d.value));
            }
            if (left instanceof IntValue a && right instanceof IntValue b) {
                return new IntValue(operator.equals("+") ? a.value + b.value : a.value - b.value);
            }
            if (operator.equals("+") && left instanceof StringValue a && right instanceof StringValue b) {
                return new StringValue(a.value + b.value);
            }
            return unknown(node);
        }

        private Value call(Call call) {
            if (call.target() == null) {
                return globalFunction(call);
            }
            Value target = eval(call.target());
            if (target instanceof UnknownValue) {
                return unknown(call);
            }
            if (target instanceof RequestTime time) {
                return timeAccessor(call, time.recurring, time.absolute);
            }
            if (target instanceof TimeValue time) {
                return timeAccessor(call, time.value, time.value);
            }
            if (target instanceof NameValue || target instanceof StringValue) {
                return stringMethod(call, target);
            }
            return unknown(call);
        }

        private Value globalFunction(Call call) {
            if (call.args().size() != 1) {
                return unknown(call);
            }
            Value argument = eval(call.args().get(0));
            switch (call.function()) {
                case "timestamp": {
                    Instant instant = argument instanceof StringValue s ? parseTimestamp(s.value) : null;
                    return instant == null ? unknown(call) : new TimeValue(instant);
                }
                case "duration": {
                    Duration duration = argument instanceof StringValue s ? parseDuration(s.value) : null;
                    return duration == null ? unknown(call) : new DurationValue(duration);
                }
                case "size":
                    if (argument instanceof StringValue s) {
                        return new IntValue(s.value.codePointCount(0, s.value.length()));
                    }
                    return unknown(call);
                default:
                    return unknown(call);
            }
        }

        /**
         * Evaluates a date accessor. {@code recurringInstant} is used for the accessors of the recurring search, and
         * {@code absoluteInstant} for {@code getFullYear}, which moves only forward. Month and day numbering follow
         * CEL: months 0-11, getDayOfMonth and getDayOfYear from 0, getDate from 1, Sunday is day 0 of the week.
         */
        private Value timeAccessor(Call call, Instant recurringInstant, Instant absoluteInstant) {
            ZoneId zone = ZoneOffset.UTC;
            if (call.args().size() == 1) {
                Value argument = eval(call.args().get(0));
                if (!(argument instanceof StringValue s)) {
                    return unknown(call);
                }
                zone = parseZone(s.value);
                if (zone == null) {
                    return unknown(call);
                }
            } else if (!call.args().isEmpty()) {
                return unknown(call);
            }
            ZonedDateTime at = recurringInstant.atZone(zone);
            switch (call.function()) {
                case "getHours": return new IntValue(at.getHour());
                case "getMinutes": return new IntValue(at.getMinute());
                case "getDayOfWeek": return new IntValue(at.getDayOfWeek().getValue() % 7);
                case "getDayOfMonth": return new IntValue(at.getDayOfMonth() - 1);
                case "getDate": return new IntValue(at.getDayOfMonth());
                case "getDayOfYear": return new IntValue(at.getDayOfYear() - 1);
                case "getMonth": return new IntValue(at.getMonthValue() - 1);
                case "getFullYear": return new IntValue(absoluteInstant.atZone(zone).getYear());
                default: return unknown(call);
            }
        }

        private Value stringMethod(Call call, Value target) {
            if (call.args().size() != 1) {
                return unknown(call);
            }
            Value argument = eval(call.args().get(0));
            if (!(argument instanceof StringValue s)) {
                return unknown(call);
            }
            Set<String> candidates = target instanceof NameValue name ? name.names : Set.of(((StringValue) target).value);
            boolean child = target instanceof NameValue name && name.child;
            if (child && !call.function().equals("startsWith")) {
                return unknown(call);
            }
            switch (call.function()) {
                case "startsWith":
                    if (candidates.stream().anyMatch(c -> c.startsWith(s.value))) {
                        return BoolValue.TRUE;
                    }
                    // A child's name is longer than its parent's, so a longer prefix may still match it.
                    return child && candidates.stream().anyMatch(c -> s.value.startsWith(c + "/"))
                            ? unknown(call) : BoolValue.FALSE;
                case "endsWith":
                    return BoolValue.of(candidates.stream().anyMatch(c -> c.endsWith(s.value)));
                case "contains":
                    return BoolValue.of(candidates.stream().anyMatch(c -> c.contains(s.value)));
                case "matches": {
                    try {
                        Pattern pattern = Pattern.compile(s.value);
                        return BoolValue.of(candidates.stream().anyMatch(c -> pattern.matcher(c).find()));
                    } catch (PatternSyntaxException e) {
                        return unknown(call);
                    }
                }
                default:
                    return unknown(call);
            }
        }
    }

    /** Returns the dotted attribute path of an identifier or a chain of selections, or null for anything else. */
    private static String pathOf(Node node) {
        if (node instanceof Identifier identifier) {
            return identifier.name();
        }
        if (node instanceof Select select) {
            String operand = pathOf(select.operand());
            return operand == null ? null : operand + "." + select.field();
        }
        return null;
    }

    static Instant parseTimestamp(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeException e) {
            try {
                return Instant.parse(text);
            } catch (DateTimeException again) {
                return null;
            }
        }
    }

    /** Parses a CEL duration such as {@code "3600s"}, {@code "1.5h"} or {@code "1h30m"}; returns null if invalid. */
    static Duration parseDuration(String text) {
        java.util.regex.Matcher matcher = Pattern.compile("(-?\\d+(?:\\.\\d+)?)(h|m|s|ms|us|ns)").matcher(text);
        Duration total = Duration.ZERO;
        int end = 0;
        while (matcher.find()) {
            if (matcher.start() != end) {
                return null;
            }
            end = matcher.end();
            double amount = Double.parseDouble(matcher.group(1));
            double nanosPerUnit = switch (matcher.group(2)) {
                case "h" -> 3.6e12;
                case "m" -> 6e10;
                case "s" -> 1e9;
                case "ms" -> 1e6;
                case "us" -> 1e3;
                default -> 1;
            };
            total = total.plusNanos(Math.round(amount * nanosPerUnit));
        }
        return end == text.length() && end > 0 ? total : null;
    }

    private static ZoneId parseZone(String text) {
        try {
            return ZoneId.of(text);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** Collects what an expression reads, to know whether results depend on the resource and on time. */
    private static final class Scan {
        boolean readsResource;
        boolean readsTime;
        final Set<String> accessors = new HashSet<>();
        final List<Instant> timestamps = new ArrayList<>();

        void visit(Node node) {
            String path = pathOf(node);
            if (path != null) {
                readsResource |= path.startsWith("resource");
                readsTime |= path.equals("request.time");
                return;
            }
            if (node instanceof Select select) {
                visit(select.operand());
            } else if (node instanceof Call call) {
                if (call.target() != null) {
                    visit(call.target());
                    if ("request.time".equals(pathOf(call.target()))) {
                        accessors.add(call.function());
                    }
                }
                if (call.target() == null && call.function().equals("timestamp") && call.args().size() == 1
                        && call.args().get(0) instanceof Literal literal && literal.value() instanceof String s) {
                    Instant instant = parseTimestamp(s);
                    if (instant != null) {
                        timestamps.add(instant);
                    }
                }
                call.args().forEach(this::visit);
            } else if (node instanceof Unary unary) {
                visit(unary.operand());
            } else if (node instanceof Binary binary) {
                visit(binary.left());
                visit(binary.right());
            } else if (node instanceof ListLiteral list) {
                list.elements().forEach(this::visit);
            } else if (node instanceof Ternary ternary) {
                visit(ternary.condition());
                visit(ternary.whenTrue());
                visit(ternary.whenFalse());
            } else if (node instanceof Index index) {
                visit(index.operand());
                visit(index.index());
            }
        }
    }
}
