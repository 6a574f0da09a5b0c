package dev.nhigraph.policy.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Condition semantics as a table of cases. Each case names its source: the title of an AWS IAM User Guide page,
 * or the PMapper test file (nccgroup/PMapper, tests/) whose assertion it restates.
 *
 * <p>Contexts list the keys they know. A key that a case does not mention is known to be absent, and keys
 * marked unknown return null, as for a value that only the live request carries.
 */
class ConditionEvaluatorTest {

    private static final String OPERATORS = "AWS: IAM JSON policy elements: Condition operators";
    private static final String CONDITION = "AWS: IAM JSON policy elements: Condition";
    private static final String MULTIPLE = "AWS: Conditions with multiple context keys or values";
    private static final String SET_OPERATIONS =
            "AWS: Creating a condition that tests multiple key values (set operations)";
    private static final String MULTIVALUED = "AWS: Single-valued vs. multivalued context keys";
    private static final String VARIABLES = "AWS: IAM policy elements: Variables and tags";
    private static final String PMAPPER_QUERYING = "PMapper tests/test_local_querying.py";
    private static final String PMAPPER_POLICY_SIM = "PMapper tests/test_local_policy_sim.py";
    private static final String PMAPPER_IP =
            "PMapper tests/test_local_policy_sim.py and tests/test_local_querying.py";

    private static final JsonMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_SINGLE_QUOTES).build();

    private static final Tri TRUE = Tri.TRUE;
    private static final Tri FALSE = Tri.FALSE;

    // ---------------------------------------------------------------------------------------------------------
    // The table

    static Stream<Case> cases() {
        return Stream.of(pmapperCases(), ruleCases(), stringCases(), numericAndDateCases(), otherOperatorCases(),
                        ifExistsAndNullCases(), setOperatorCases(), combinationCases(), unknownCases(),
                        policyVariableCases())
                .flatMap(List::stream);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void evaluate_table(Case c) {
        ConditionResult result = ConditionEvaluator.compile(json(c.condition()), c.policyVariables())
                .evaluate(c.context());

        assertEquals(c.expected(), result.value(), c.name() + ": value of " + c.condition());
        assertEquals(c.unresolved(), result.unresolved(), c.name() + ": unresolved conditions of " + c.condition());
    }

    @Test
    void table_hasEnoughCasesWithSources() {
        List<Case> all = cases().toList();

        assertTrue(all.size() >= 90, "only " + all.size() + " cases");
        assertTrue(all.stream().allMatch(c -> c.source().startsWith("AWS: ") || c.source().startsWith("PMapper ")),
                "every case names an AWS page or a PMapper test file");
    }

    /**
     * Returns PMapper's condition assertions (nccgroup/PMapper at commit 91d2e60), restated. PMapper represents a
     * key that the request lacks as an empty string, so {@link TestContext#pmapper} maps "" to a known-absent key.
     */
    private static List<Case> pmapperCases() {
        List<Case> cases = new ArrayList<>();
        String ipRange = "{'IpAddress': {'aws:SourceIp': '128.223.0.0/16'}}";
        cases.add(check("IpAddress in /16 range", PMAPPER_IP, ipRange,
                context().with("aws:SourceIp", "128.223.0.1"), TRUE));
        cases.add(check("IpAddress context key in lower case", PMAPPER_IP, ipRange,
                context().with("aws:sourceip", "128.223.0.1"), TRUE));
        cases.add(check("IpAddress without prefix, same address", PMAPPER_IP,
                "{'IpAddress': {'aws:SourceIp': '10.0.0.1'}}", context().with("aws:SourceIp", "10.0.0.1"), TRUE));
        cases.add(check("IpAddress without prefix, other address", PMAPPER_IP,
                "{'IpAddress': {'aws:SourceIp': '10.0.0.1'}}", context().with("aws:SourceIp", "10.0.0.2"), FALSE));
        cases.add(check("IpAddress outside /8 range", PMAPPER_IP, "{'IpAddress': {'aws:SourceIp': '10.0.0.0/8'}}",
                context().with("aws:SourceIp", "127.0.0.1"), FALSE));
        String twoRanges = "{'IpAddress': {'aws:SourceIp': ['10.0.0.0/8', '127.0.0.0/8']}}";
        cases.add(check("IpAddress in second of two ranges", PMAPPER_IP, twoRanges,
                context().with("aws:SourceIp", "127.0.0.1"), TRUE));
        cases.add(check("IpAddress in neither of two ranges", PMAPPER_IP, twoRanges,
                context().with("aws:SourceIp", "192.168.0.1"), FALSE));

        String arnEquals = "{'ArnEquals': {'aws:SourceArn': 'arn:aws:iam::000000000000:user/test1'}}";
        String arnEqualsWildcard = "{'ArnEquals': {'aws:SourceArn': 'arn:aws:iam::*:user/test1'}}";
        String arnNotLike = "{'ArnNotLike': {'aws:SourceArn': 'arn:aws:iam::*:user/test1'}}";
        String test1 = "arn:aws:iam::000000000000:user/test1";
        String test2 = "arn:aws:iam::000000000000:user/test2";
        cases.add(check("ArnEquals same ARN", PMAPPER_QUERYING, arnEquals, context().with("aws:SourceArn", test1),
                TRUE));
        cases.add(check("ArnEquals other ARN", PMAPPER_QUERYING, arnEquals, context().with("aws:SourceArn", test2),
                FALSE));
        cases.add(check("ArnEquals wildcard account matches", PMAPPER_QUERYING, arnEqualsWildcard,
                context().with("aws:SourceArn", test1), TRUE));
        cases.add(check("ArnEquals wildcard account, other user", PMAPPER_QUERYING, arnEqualsWildcard,
                context().with("aws:SourceArn", test2), FALSE));
        cases.add(check("ArnNotLike on matching ARN", PMAPPER_QUERYING, arnNotLike,
                context().with("aws:SourceArn", test1), FALSE));
        cases.add(check("ArnNotLike on other ARN", PMAPPER_QUERYING, arnNotLike,
                context().with("aws:SourceArn", test2), TRUE));
        cases.add(check("ArnNotLike on value that is not an ARN", PMAPPER_QUERYING, arnNotLike,
                context().with("aws:SourceArn", "test2"), FALSE));

        String nullBoth = "{'Null': {'aws:username': 'true', 'aws:userid': 'false'}}";
        cases.add(check("Null true and false on two keys, both hold", PMAPPER_QUERYING, nullBoth,
                context().pmapper("aws:userid", "asdf").pmapper("aws:username", ""), TRUE));
        cases.add(check("Null false on absent userid", PMAPPER_QUERYING, nullBoth,
                context().pmapper("aws:userid", "").pmapper("aws:username", ""), FALSE));
        String nullEither = "{'Null': {'aws:username': ['true', 'false']}}";
        cases.add(check("Null true or false, key absent", PMAPPER_QUERYING, nullEither,
                context().pmapper("aws:username", ""), TRUE));
        cases.add(check("Null true or false, key present", PMAPPER_QUERYING, nullEither,
                context().pmapper("aws:username", "asdf"), TRUE));
        String allNullFalse = "{'ForAllValues:Null': {'aws:username': 'false'}}";
        String allNullTrue = "{'ForAllValues:Null': {'aws:username': 'true'}}";
        String anyNullTrue = "{'ForAnyValue:Null': {'aws:username': 'true'}}";
        String anyNullFalse = "{'ForAnyValue:Null': {'aws:username': 'false'}}";
        cases.add(check("ForAllValues:Null false, key present", PMAPPER_QUERYING, allNullFalse,
                context().pmapper("aws:username", "asdf"), TRUE));
        cases.add(check("ForAllValues:Null false, key absent", PMAPPER_QUERYING, allNullFalse,
                context().pmapper("aws:username", ""), TRUE));
        cases.add(check("ForAllValues:Null true, key present", PMAPPER_QUERYING, allNullTrue,
                context().pmapper("aws:username", "asdf"), FALSE));
        cases.add(check("ForAllValues:Null true, key absent", PMAPPER_QUERYING, allNullTrue,
                context().pmapper("aws:username", ""), TRUE));
        cases.add(check("ForAnyValue:Null true, key present", PMAPPER_QUERYING, anyNullTrue,
                context().pmapper("aws:username", "asdf"), FALSE));
        cases.add(check("ForAnyValue:Null true, key absent", PMAPPER_QUERYING, anyNullTrue,
                context().pmapper("aws:username", ""), FALSE));
        cases.add(check("ForAnyValue:Null false, key present", PMAPPER_QUERYING, anyNullFalse,
                context().pmapper("aws:username", "asdf"), TRUE));
        cases.add(check("ForAnyValue:Null false, key absent", PMAPPER_QUERYING, anyNullFalse,
                context().pmapper("aws:username", ""), FALSE));

        cases.addAll(pmapperDateCases());
        cases.addAll(pmapperBoolCases());
        cases.addAll(pmapperMultivalueCases());
        cases.addAll(pmapperWildcardCases());
        return cases;
    }

    /** Returns PMapper's date cases, where 1533859200 epoch seconds and 2018-08-10T00:00:00Z are the same time. */
    private static List<Case> pmapperDateCases() {
        String midnight = "2018-08-10T00:00:00Z";
        String before = "2018-08-09T23:59:59Z";
        String after = "2018-08-10T00:00:01Z";
        return List.of(
                date("DateEquals", midnight, true),
                date("DateEquals", "1533859200.0", true),
                date("DateEquals", "1533859200", true),
                date("DateEquals", "1533859201", false),
                date("DateEquals", after, false),
                date("DateNotEquals", midnight, false),
                date("DateNotEquals", after, true),
                date("DateGreaterThan", midnight, false),
                date("DateGreaterThan", after, true),
                date("DateGreaterThanEquals", before, false),
                date("DateGreaterThanEquals", midnight, true),
                date("DateGreaterThanEquals", after, true),
                date("DateLessThan", before, true),
                date("DateLessThan", after, false),
                date("DateLessThanEquals", before, true),
                date("DateLessThanEquals", midnight, true),
                date("DateLessThanEquals", after, false));
    }

    private static Case date(String operator, String currentTime, boolean expected) {
        return check(operator + " 2018-08-10T00:00:00Z at " + currentTime, PMAPPER_QUERYING,
                "{'" + operator + "': {'aws:CurrentTime': '2018-08-10T00:00:00Z'}}",
                context().with("aws:CurrentTime", currentTime), Tri.of(expected));
    }

    /** Returns PMapper's Bool cases, checked against the IAM policy simulator: only "true", in any case, is true. */
    private static List<Case> pmapperBoolCases() {
        return List.of(
                bool("true", "true", true),
                bool("true", "True", true),
                bool("true", "tru", false),
                bool("true", "", false),
                bool("true", "false", false),
                bool("false", "false", true),
                bool("false", "true", false),
                bool("false", "asdf", true),
                bool("false", "t", true));
    }

    private static Case bool(String policyValue, String contextValue, boolean expected) {
        return check("Bool " + policyValue + " with '" + contextValue + "'", PMAPPER_QUERYING,
                "{'Bool': {'aws:SecureTransport': '" + policyValue + "'}}",
                context().pmapper("aws:SecureTransport", contextValue), Tri.of(expected));
    }

    private static List<Case> pmapperMultivalueCases() {
        String all = "{'ForAllValues:StringEquals': {'dynamodb:Attributes': ['ID', 'Message', 'Tags']}}";
        String any = "{'ForAnyValue:StringEquals': {'dynamodb:Attributes': ['ID', 'Message', 'Tags']}}";
        return List.of(
                check("ForAllValues:StringEquals, every listed attribute", PMAPPER_QUERYING, all,
                        context().with("dynamodb:Attributes", "ID", "Message", "Tags"), TRUE),
                check("ForAllValues:StringEquals, subset of attributes", PMAPPER_QUERYING, all,
                        context().with("dynamodb:Attributes", "ID", "Message"), TRUE),
                check("ForAllValues:StringEquals, no attributes", PMAPPER_QUERYING, all, context(), TRUE),
                check("ForAllValues:StringEquals, one unlisted attribute", PMAPPER_QUERYING, all,
                        context().with("dynamodb:Attributes", "ID", "Message", "Tags", "Password"), FALSE),
                check("ForAnyValue:StringEquals, every listed attribute", PMAPPER_QUERYING, any,
                        context().with("dynamodb:Attributes", "ID", "Message", "Tags"), TRUE),
                check("ForAnyValue:StringEquals, one listed attribute", PMAPPER_QUERYING, any,
                        context().with("dynamodb:Attributes", "Tags", "Password"), TRUE),
                check("ForAnyValue:StringEquals, only unlisted attribute", PMAPPER_QUERYING, any,
                        context().with("dynamodb:Attributes", "Password"), FALSE),
                check("ForAnyValue:StringEquals, no attributes", PMAPPER_QUERYING, any, context(), FALSE),
                // The MFA test: a Deny with BoolIfExists aws:MultiFactorAuthPresent false applies when the key is
                // absent, and PMapper's MFA-aware check treats the key as undecided, which is UNKNOWN here.
                check("BoolIfExists MFA false, key absent", PMAPPER_QUERYING,
                        "{'BoolIfExists': {'aws:MultiFactorAuthPresent': 'false'}}", context(), TRUE),
                check("BoolIfExists MFA false, key false", PMAPPER_QUERYING,
                        "{'BoolIfExists': {'aws:MultiFactorAuthPresent': 'false'}}",
                        context().with("aws:MultiFactorAuthPresent", "false"), TRUE),
                unknown("BoolIfExists MFA false, key unknown", PMAPPER_QUERYING,
                        "{'BoolIfExists': {'aws:MultiFactorAuthPresent': 'false'}}",
                        context().unknown("aws:MultiFactorAuthPresent"),
                        unresolved("BoolIfExists", "aws:MultiFactorAuthPresent", "false")));
    }

    /** Returns PMapper's resource-pattern assertions, restated as StringLike conditions with the same glob rules. */
    private static List<Case> pmapperWildcardCases() {
        return List.of(
                like("test*", "test-123", true),
                like("test*", "test", true),
                like("test*", "tset", false),
                like("test-?", "test-1", true),
                like("test-?", "test1", false),
                check("StringLike with ${aws:username} substituted", PMAPPER_POLICY_SIM,
                        "{'StringLike': {'aws:PrincipalArn': 'arn:aws:iam::000000000000:user/${aws:username}'}}",
                        context().with("aws:username", "test")
                                .with("aws:PrincipalArn", "arn:aws:iam::000000000000:user/test"), TRUE));
    }

    private static Case like(String pattern, String value, boolean expected) {
        return check("StringLike " + pattern + " on " + value, PMAPPER_POLICY_SIM,
                "{'StringLike': {'s3:prefix': '" + pattern + "'}}", context().with("s3:prefix", value),
                Tri.of(expected));
    }

    /**
     * Returns cases for these general rules: an absent key fails a condition except under IfExists and Null,
     * ForAllValues holds on an empty key and ForAnyValue does not, {@code ?} matches one character, and
     * variables are substituted before matching.
     */
    private static List<Case> ruleCases() {
        String tokenIssued = "{'DateGreaterThan': {'aws:TokenIssueTime': '2020-01-01T00:00:01Z'}}";
        return List.of(
                check("DateGreaterThan TokenIssueTime, role session", OPERATORS, tokenIssued,
                        context().with("aws:TokenIssueTime", "2024-05-01T10:00:00Z"), TRUE),
                check("DateGreaterThan TokenIssueTime, long-term key", OPERATORS, tokenIssued, context(), FALSE),
                check("Condition key in policy in other case", CONDITION,
                        "{'StringEquals': {'AWS:UserName': 'johndoe'}}", context().with("aws:username", "johndoe"),
                        TRUE),
                check("StringEqualsIfExists, key absent", OPERATORS,
                        "{'StringEqualsIfExists': {'ec2:InstanceType': 't2.micro'}}", context(), TRUE),
                check("Null true tests absence", OPERATORS, "{'Null': {'aws:TokenIssueTime': 'true'}}", context(),
                        TRUE),
                check("ForAllValues, no attributes in request", MULTIVALUED,
                        "{'ForAllValues:StringEquals': {'dynamodb:Attributes': ['ID', 'Message', 'Tags']}}",
                        context(), TRUE),
                check("ForAnyValue, no attributes in request", MULTIVALUED,
                        "{'ForAnyValue:StringEquals': {'dynamodb:Attributes': ['ID', 'Message', 'Tags']}}",
                        context(), FALSE),
                check("StringLike test-? does not match test1", OPERATORS, "{'StringLike': {'s3:prefix': 'test-?'}}",
                        context().with("s3:prefix", "test1"), FALSE),
                check("Variable substituted before matching", VARIABLES,
                        "{'StringLike': {'s3:prefix': ['${aws:username}/*']}}",
                        context().with("aws:username", "David").with("s3:prefix", "David/report.txt"), TRUE),
                check("Positive operator, key absent", OPERATORS,
                        "{'StringEquals': {'aws:PrincipalTag/job-category': 'iamuser-admin'}}", context(), FALSE));
    }

    private static List<Case> stringCases() {
        String userJohn = "{'StringEquals': {'aws:username': 'johndoe'}}";
        String userJohnIgnoreCase = "{'StringEqualsIgnoreCase': {'aws:username': 'johndoe'}}";
        String notRole = "{'StringNotEquals': {'aws:PrincipalTag/role': ['audit', 'security']}}";
        String notAes = "{'StringNotEqualsIgnoreCase': {'s3:x-amz-server-side-encryption': 'AES256'}}";
        String instanceTypes = "{'StringLike': {'ec2:InstanceType': ['t1.*', 't2.*', 'm3.*']}}";
        String notLikeLogs = "{'StringNotLike': {'s3:prefix': 'logs/*'}}";
        String homePrefix = "{'StringLike': {'s3:prefix': ['', 'home/', 'home/${aws:username}/']}}";
        return List.of(
                check("StringEquals same user", CONDITION, userJohn, context().with("aws:username", "johndoe"),
                        TRUE),
                check("StringEquals is case-sensitive", CONDITION, userJohn,
                        context().with("aws:username", "JohnDoe"), FALSE),
                check("StringEqualsIgnoreCase other case", CONDITION, userJohnIgnoreCase,
                        context().with("aws:username", "JohnDoe"), TRUE),
                check("StringEqualsIgnoreCase other user", CONDITION, userJohnIgnoreCase,
                        context().with("aws:username", "janedoe"), FALSE),
                check("StringEquals has no wildcards", OPERATORS,
                        "{'StringEquals': {'ec2:InstanceType': 't2.*'}}",
                        context().with("ec2:InstanceType", "t2.micro"), FALSE),
                check("StringNotEquals other value", OPERATORS, notRole,
                        context().with("aws:PrincipalTag/role", "dev"), TRUE),
                check("StringNotEquals listed value, NOR", MULTIPLE, notRole,
                        context().with("aws:PrincipalTag/role", "security"), FALSE),
                check("StringNotEquals, key absent", OPERATORS, notRole, context(), TRUE),
                check("StringNotEqualsIgnoreCase same in other case", OPERATORS, notAes,
                        context().with("s3:x-amz-server-side-encryption", "aes256"), FALSE),
                check("StringNotEqualsIgnoreCase other value", OPERATORS, notAes,
                        context().with("s3:x-amz-server-side-encryption", "aws:kms"), TRUE),
                check("StringLike third of three patterns", OPERATORS, instanceTypes,
                        context().with("ec2:InstanceType", "m3.medium"), TRUE),
                check("StringLike no pattern matches", OPERATORS, instanceTypes,
                        context().with("ec2:InstanceType", "m5.large"), FALSE),
                check("StringLike is case-sensitive", OPERATORS, instanceTypes,
                        context().with("ec2:InstanceType", "T2.micro"), FALSE),
                check("StringLike ? is one character", OPERATORS, "{'StringLike': {'s3:prefix': 'a?c'}}",
                        context().with("s3:prefix", "abbc"), FALSE),
                check("StringNotLike on matching value", OPERATORS, notLikeLogs,
                        context().with("s3:prefix", "logs/2024/"), FALSE),
                check("StringNotLike on other value", OPERATORS, notLikeLogs,
                        context().with("s3:prefix", "data/"), TRUE),
                check("StringNotLike, key absent", OPERATORS, notLikeLogs, context(), TRUE),
                check("StringLike empty prefix value", OPERATORS, homePrefix,
                        context().with("s3:prefix", "").with("aws:username", "david"), TRUE),
                check("StringLike home prefix of user", OPERATORS, homePrefix,
                        context().with("s3:prefix", "home/david/").with("aws:username", "david"), TRUE),
                check("StringLike home prefix of other user", OPERATORS, homePrefix,
                        context().with("s3:prefix", "home/eve/").with("aws:username", "david"), FALSE));
    }

    private static List<Case> numericAndDateCases() {
        String maxKeys = "{'NumericLessThanEquals': {'s3:max-keys': '10'}}";
        return List.of(
                check("NumericLessThanEquals at limit", OPERATORS, maxKeys, context().with("s3:max-keys", "10"),
                        TRUE),
                check("NumericLessThanEquals above limit", OPERATORS, maxKeys, context().with("s3:max-keys", "11"),
                        FALSE),
                check("NumericLessThanEquals, JSON number value", OPERATORS,
                        "{'NumericLessThanEquals': {'s3:max-keys': 10}}", context().with("s3:max-keys", "7"), TRUE),
                check("NumericEquals integer and decimal", OPERATORS, "{'NumericEquals': {'s3:max-keys': '10'}}",
                        context().with("s3:max-keys", "10.0"), TRUE),
                check("NumericNotEquals other number", OPERATORS, "{'NumericNotEquals': {'s3:max-keys': '10'}}",
                        context().with("s3:max-keys", "5"), TRUE),
                check("NumericNotEquals same number", OPERATORS, "{'NumericNotEquals': {'s3:max-keys': '10'}}",
                        context().with("s3:max-keys", "10"), FALSE),
                check("NumericLessThan below", OPERATORS, "{'NumericLessThan': {'s3:max-keys': '10'}}",
                        context().with("s3:max-keys", "9.5"), TRUE),
                check("NumericLessThan equal", OPERATORS, "{'NumericLessThan': {'s3:max-keys': '10'}}",
                        context().with("s3:max-keys", "10"), FALSE),
                check("NumericGreaterThan above", OPERATORS, "{'NumericGreaterThan': {'s3:max-keys': '10'}}",
                        context().with("s3:max-keys", "11"), TRUE),
                check("NumericGreaterThan equal", OPERATORS, "{'NumericGreaterThan': {'s3:max-keys': '10'}}",
                        context().with("s3:max-keys", "10"), FALSE),
                check("NumericGreaterThanEquals equal", OPERATORS,
                        "{'NumericGreaterThanEquals': {'s3:max-keys': '10'}}", context().with("s3:max-keys", "10"),
                        TRUE),
                check("NumericGreaterThanEquals below", OPERATORS,
                        "{'NumericGreaterThanEquals': {'s3:max-keys': '10'}}", context().with("s3:max-keys", "9"),
                        FALSE),
                check("NumericNotEquals on value that is not a number", OPERATORS,
                        "{'NumericNotEquals': {'s3:max-keys': '10'}}", context().with("s3:max-keys", "ten"), FALSE),
                check("DateGreaterThan epoch policy, ISO context", OPERATORS,
                        "{'DateGreaterThan': {'aws:TokenIssueTime': '1577836801'}}",
                        context().with("aws:TokenIssueTime", "2020-01-01T00:00:02Z"), TRUE),
                check("DateLessThan ISO policy, epoch context", OPERATORS,
                        "{'DateLessThan': {'aws:EpochTime': '2013-12-15T12:00:00Z'}}",
                        context().with("aws:EpochTime", "1387108800"), FALSE),
                check("DateEquals across time zones", OPERATORS,
                        "{'DateEquals': {'aws:CurrentTime': '2020-01-01T01:00:00+01:00'}}",
                        context().with("aws:CurrentTime", "2020-01-01T00:00:00Z"), TRUE),
                check("DateEquals date without time is midnight", OPERATORS,
                        "{'DateEquals': {'aws:CurrentTime': '2020-01-01'}}",
                        context().with("aws:CurrentTime", "2020-01-01T00:00:00.000Z"), TRUE),
                check("DateNotEquals, key absent", OPERATORS,
                        "{'DateNotEquals': {'aws:CurrentTime': '2020-01-01T00:00:00Z'}}", context(), TRUE),
                check("DateLessThan on value that is not a date", OPERATORS,
                        "{'DateLessThan': {'aws:CurrentTime': '2020-01-01T00:00:00Z'}}",
                        context().with("aws:CurrentTime", "yesterday"), FALSE));
    }

    private static List<Case> otherOperatorCases() {
        String binary = "{'BinaryEquals': {'key': 'QmluYXJ5VmFsdWVJbkJhc2U2NA=='}}";
        String secureTransport = "{'Bool': {'aws:SecureTransport': false}}";
        String ipv6 = "{'IpAddress': {'aws:SourceIp': '2001:DB8:1234:5678::/64'}}";
        String mixed = "{'IpAddress': {'aws:SourceIp': ['203.0.113.0/24', '2001:DB8:1234:5678::/64']}}";
        String notIp = "{'NotIpAddress': {'aws:SourceIp': '203.0.113.0/24'}}";
        String snsTopic = "{'ArnEquals': {'aws:SourceArn': 'arn:aws:sns:us-east-2:123456789012:my-topic'}}";
        String finance = "arn:aws:someservice:*:111122223333:finance/*";
        String storeValue = "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt";
        return List.of(
                check("BinaryEquals same bytes", OPERATORS, binary,
                        context().with("key", "QmluYXJ5VmFsdWVJbkJhc2U2NA=="), TRUE),
                check("BinaryEquals other bytes", OPERATORS, binary, context().with("key", "T3RoZXJWYWx1ZQ=="),
                        FALSE),
                check("BinaryEquals on value that is not base64", OPERATORS, binary,
                        context().with("key", "not base64!"), FALSE),
                check("Bool false, JSON boolean, over HTTP", OPERATORS, secureTransport,
                        context().with("aws:SecureTransport", "false"), TRUE),
                check("Bool false, JSON boolean, over TLS", OPERATORS, secureTransport,
                        context().with("aws:SecureTransport", "true"), FALSE),
                check("IpAddress IPv6 in /64", OPERATORS, ipv6,
                        context().with("aws:SourceIp", "2001:db8:1234:5678::1"), TRUE),
                check("IpAddress IPv6 outside /64", OPERATORS, ipv6,
                        context().with("aws:SourceIp", "2001:db8:1234:5679::1"), FALSE),
                check("IpAddress IPv6 uncompressed form", OPERATORS,
                        "{'IpAddress': {'aws:SourceIp': '2001:db8::1'}}",
                        context().with("aws:SourceIp", "2001:0db8:0000:0000:0000:0000:0000:0001"), TRUE),
                check("IpAddress IPv6 with IPv4 tail", OPERATORS,
                        "{'IpAddress': {'aws:SourceIp': '::ffff:203.0.113.0/120'}}",
                        context().with("aws:SourceIp", "::ffff:203.0.113.77"), TRUE),
                check("IpAddress IPv4 in mixed list", OPERATORS, mixed,
                        context().with("aws:SourceIp", "203.0.113.5"), TRUE),
                check("IpAddress IPv4 against IPv6 range", OPERATORS, ipv6,
                        context().with("aws:SourceIp", "203.0.113.5"), FALSE),
                check("NotIpAddress outside range", OPERATORS, notIp,
                        context().with("aws:SourceIp", "198.51.100.1"), TRUE),
                check("NotIpAddress inside range", OPERATORS, notIp, context().with("aws:SourceIp", "203.0.113.9"),
                        FALSE),
                check("NotIpAddress, key absent", OPERATORS, notIp, context(), TRUE),
                check("ArnEquals same topic", OPERATORS, snsTopic,
                        context().with("aws:SourceArn", "arn:aws:sns:us-east-2:123456789012:my-topic"), TRUE),
                check("ArnEquals, key absent", OPERATORS, snsTopic, context(), FALSE),
                check("ArnEquals is case-sensitive", OPERATORS,
                        "{'ArnEquals': {'aws:PrincipalArn': 'arn:aws:iam::111122223333:user/Bob'}}",
                        context().with("aws:PrincipalArn", "arn:aws:iam::111122223333:user/bob"), FALSE),
                check("ArnNotEquals, key absent", OPERATORS, snsTopic.replace("ArnEquals", "ArnNotEquals"),
                        context(), TRUE),
                check("StringLike * spans colons", OPERATORS, "{'StringLike': {'aws:SourceArn': '" + finance + "'}}",
                        context().with("aws:SourceArn", storeValue), TRUE),
                check("ArnLike * stays within one part", OPERATORS,
                        "{'ArnLike': {'aws:SourceArn': '" + finance + "'}}",
                        context().with("aws:SourceArn", storeValue), FALSE));
    }

    private static List<Case> ifExistsAndNullCases() {
        String instanceTypes = "{'StringLikeIfExists': {'ec2:InstanceType': ['t1.*', 't2.*', 'm3.*']}}";
        String notDepartment = "{'StringNotEqualsIfExists': {'aws:ResourceTag/department': 'finance'}}";
        String noTempCredentials = "{'Null': {'aws:TokenIssueTime': 'true'}}";
        return List.of(
                check("StringLikeIfExists, key absent", OPERATORS, instanceTypes, context(), TRUE),
                check("StringLikeIfExists, key present and matching", OPERATORS, instanceTypes,
                        context().with("ec2:InstanceType", "t2.micro"), TRUE),
                check("StringLikeIfExists, key present, no match", OPERATORS, instanceTypes,
                        context().with("ec2:InstanceType", "m5.large"), FALSE),
                check("StringNotEqualsIfExists, key absent", OPERATORS, notDepartment, context(), TRUE),
                check("StringNotEqualsIfExists, key equal", OPERATORS, notDepartment,
                        context().with("aws:ResourceTag/department", "finance"), FALSE),
                check("NumericLessThanIfExists, key absent", OPERATORS,
                        "{'NumericLessThanIfExists': {'s3:max-keys': '10'}}", context(), TRUE),
                check("DateLessThanIfExists, key present and later", OPERATORS,
                        "{'DateLessThanIfExists': {'aws:CurrentTime': '2020-01-01T00:00:00Z'}}",
                        context().with("aws:CurrentTime", "2021-01-01T00:00:00Z"), FALSE),
                check("ForAnyValue:StringLikeIfExists, key absent", OPERATORS,
                        "{'ForAnyValue:StringLikeIfExists': {'aws:TagKeys': 'env*'}}", context(), TRUE),
                check("Null true, temporary credentials", OPERATORS, noTempCredentials,
                        context().with("aws:TokenIssueTime", "2024-05-01T10:00:00Z"), FALSE),
                check("Null false, key present", OPERATORS, "{'Null': {'aws:TokenIssueTime': false}}",
                        context().with("aws:TokenIssueTime", "2024-05-01T10:00:00Z"), TRUE),
                check("Null false, key absent", OPERATORS, "{'Null': {'aws:TokenIssueTime': 'false'}}", context(),
                        FALSE));
    }

    private static List<Case> setOperatorCases() {
        String allowedAttributes =
                "{'ForAllValues:StringLike': {'dynamodb:requestedAttributes': ['PostDateTime', 'Message', 'Tags']}}";
        String deniedAttributes =
                "{'ForAnyValue:StringLike': {'dynamodb:requestedAttributes': ['ID', 'PostDateTime']}}";
        String allNotSecret = "{'ForAllValues:StringNotEquals': {'aws:TagKeys': ['secret', 'owner']}}";
        String anyNotSecret = "{'ForAnyValue:StringNotEquals': {'aws:TagKeys': 'secret'}}";
        return List.of(
                check("ForAllValues:StringLike, all attributes allowed", SET_OPERATIONS, allowedAttributes,
                        context().with("dynamodb:requestedAttributes", "PostDateTime", "Message"), TRUE),
                check("ForAllValues:StringLike, UserName not allowed", SET_OPERATIONS, allowedAttributes,
                        context().with("dynamodb:requestedAttributes", "PostDateTime", "UserName"), FALSE),
                check("ForAnyValue:StringLike, PostDateTime listed", SET_OPERATIONS, deniedAttributes,
                        context().with("dynamodb:requestedAttributes", "UserName", "Message", "PostDateTime"), TRUE),
                check("ForAnyValue:StringLike, only UserName", SET_OPERATIONS, deniedAttributes,
                        context().with("dynamodb:requestedAttributes", "UserName"), FALSE),
                check("ForAllValues:StringNotEquals, no listed tag", MULTIPLE, allNotSecret,
                        context().with("aws:TagKeys", "env", "team"), TRUE),
                check("ForAllValues:StringNotEquals, one listed tag", MULTIPLE, allNotSecret,
                        context().with("aws:TagKeys", "env", "owner"), FALSE),
                check("ForAllValues:StringNotEquals, key absent", MULTIVALUED, allNotSecret, context(), TRUE),
                check("ForAnyValue:StringNotEquals, only the listed tag", MULTIPLE, anyNotSecret,
                        context().with("aws:TagKeys", "secret"), FALSE),
                check("ForAnyValue:StringNotEquals, another tag too", MULTIPLE, anyNotSecret,
                        context().with("aws:TagKeys", "secret", "env"), TRUE),
                check("ForAnyValue:StringNotEquals, key absent", MULTIVALUED, anyNotSecret, context(), FALSE),
                // Without a set prefix AWS leaves several context values undefined; see MatchTest for the choice.
                check("StringEquals, several context values, one matches", MULTIVALUED,
                        "{'StringEquals': {'aws:TagKeys': 'env'}}", context().with("aws:TagKeys", "team", "env"),
                        TRUE),
                check("StringNotEquals, several context values, one matches", MULTIVALUED,
                        "{'StringNotEquals': {'aws:TagKeys': 'env'}}", context().with("aws:TagKeys", "team", "env"),
                        FALSE));
    }

    private static List<Case> combinationCases() {
        String twoOperators = "{'StringEquals': {'aws:PrincipalTag/department': 'finance'},"
                + " 'Bool': {'aws:SecureTransport': 'true'}}";
        String twoKeys = "{'StringEquals': {'aws:PrincipalTag/department': 'finance',"
                + " 'aws:PrincipalTag/role': ['audit', 'security']}}";
        return List.of(
                check("Two operators, both hold", MULTIPLE, twoOperators,
                        context().with("aws:PrincipalTag/department", "finance").with("aws:SecureTransport", "true"),
                        TRUE),
                check("Two operators, one fails", MULTIPLE, twoOperators,
                        context().with("aws:PrincipalTag/department", "finance").with("aws:SecureTransport", "false"),
                        FALSE),
                check("Two keys under one operator, both hold", MULTIPLE, twoKeys,
                        context().with("aws:PrincipalTag/department", "finance")
                                .with("aws:PrincipalTag/role", "security"), TRUE),
                check("Two keys under one operator, one fails", MULTIPLE, twoKeys,
                        context().with("aws:PrincipalTag/department", "hr").with("aws:PrincipalTag/role", "audit"),
                        FALSE),
                check("Empty Condition block holds", CONDITION, "{}", context(), TRUE));
    }

    private static List<Case> unknownCases() {
        String sourceIp = "{'IpAddress': {'aws:SourceIp': '203.0.113.0/24'}}";
        String ipAndTransport = "{'IpAddress': {'aws:SourceIp': '203.0.113.0/24'},"
                + " 'Bool': {'aws:SecureTransport': 'true'}}";
        return List.of(
                unknown("IpAddress, source IP unknown", OPERATORS, sourceIp, context().unknown("aws:SourceIp"),
                        unresolved("IpAddress", "aws:SourceIp", "203.0.113.0/24")),
                check("FALSE AND UNKNOWN is FALSE", MULTIPLE, ipAndTransport,
                        context().unknown("aws:SourceIp").with("aws:SecureTransport", "false"), FALSE),
                unknown("TRUE AND UNKNOWN lists the unknown one", MULTIPLE, ipAndTransport,
                        context().unknown("aws:SourceIp").with("aws:SecureTransport", "true"),
                        unresolved("IpAddress", "aws:SourceIp", "203.0.113.0/24")),
                unknown("Two unknown keys, listed in block order", MULTIPLE, ipAndTransport,
                        context().unknown("aws:SourceIp").unknown("aws:SecureTransport"),
                        unresolved("IpAddress", "aws:SourceIp", "203.0.113.0/24"),
                        unresolved("Bool", "aws:SecureTransport", "true")),
                unknown("Operator reported as written", MULTIVALUED,
                        "{'ForAnyValue:StringLikeIfExists': {'aws:TagKeys': ['env*', 'team']}}",
                        context().unknown("aws:TagKeys"),
                        unresolved("ForAnyValue:StringLikeIfExists", "aws:TagKeys", "env*", "team")),
                unknown("Null on unknown key", OPERATORS, "{'Null': {'aws:TokenIssueTime': 'true'}}",
                        context().unknown("aws:TokenIssueTime"), unresolved("Null", "aws:TokenIssueTime", "true")),
                unknown("StringNotEquals on unknown key", OPERATORS, "{'StringNotEquals': {'aws:userid': 'AIDA1'}}",
                        context().unknown("aws:userid"), unresolved("StringNotEquals", "aws:userid", "AIDA1")),
                check("Policy key in upper case", CONDITION, sourceIp.replace("aws:SourceIp", "AWS:SOURCEIP"),
                        context().with("aws:sourceip", "203.0.113.10"), TRUE));
    }

    private static List<Case> policyVariableCases() {
        String ownerTag = "{'StringEquals': {'aws:username': '${aws:PrincipalTag/owner}'}}";
        String homeOrUser = "{'StringLike': {'s3:prefix': ['home/', 'home/${aws:username}/*']}}";
        String userHome = "{'StringLike': {'s3:prefix': 'home/${aws:username}/*'}}";
        String anonymousDefault = "{'StringEquals': {'s3:prefix': \"home/${aws:userid, 'anonymous'}\"}}";
        String literalStar = "{'StringLike': {'s3:prefix': 'file${*}'}}";
        String userArn = "{'ArnLike': {'aws:PrincipalArn': 'arn:aws:iam::111122223333:user/${aws:username}'}}";
        return List.of(
                check("Variable from principal tag", VARIABLES, ownerTag,
                        context().with("aws:username", "ana").with("aws:PrincipalTag/owner", "ana"), TRUE),
                check("Variable from principal tag, other value", VARIABLES, ownerTag,
                        context().with("aws:username", "ana").with("aws:PrincipalTag/owner", "ben"), FALSE),
                unknown("Variable unknown", VARIABLES, ownerTag,
                        context().with("aws:username", "ana").unknown("aws:PrincipalTag/owner"),
                        unresolved("StringEquals", "aws:username", "${aws:PrincipalTag/owner}")),
                check("Variable unknown, other value decides", VARIABLES, homeOrUser,
                        context().with("s3:prefix", "home/").unknown("aws:username"), TRUE),
                check("Variable with no value never matches", VARIABLES, userHome,
                        context().with("s3:prefix", "home/x/y"), FALSE),
                check("Variable with no value excludes nothing under StringNotLike", VARIABLES,
                        userHome.replace("StringLike", "StringNotLike"), context().with("s3:prefix", "home/x/y"),
                        TRUE),
                check("Variable with several values has no value", MULTIVALUED,
                        "{'StringEquals': {'s3:prefix': '${aws:TagKeys}'}}",
                        context().with("s3:prefix", "env").with("aws:TagKeys", "env", "team"), FALSE),
                check("Default value when key absent", VARIABLES, anonymousDefault,
                        context().with("s3:prefix", "home/anonymous"), TRUE),
                check("Default value ignored when key present", VARIABLES, anonymousDefault,
                        context().with("s3:prefix", "home/anonymous").with("aws:userid", "AIDA1"), FALSE),
                check("${*} matches a literal asterisk", VARIABLES, literalStar, context().with("s3:prefix", "file*"),
                        TRUE),
                check("${*} is not a wildcard", VARIABLES, literalStar, context().with("s3:prefix", "file1"), FALSE),
                check("${?} and ${$} are literal characters", VARIABLES,
                        "{'StringEquals': {'s3:prefix': 'what${?}cost${$}'}}",
                        context().with("s3:prefix", "what?cost$"), TRUE),
                check("Variable value is not a wildcard", VARIABLES, userHome,
                        context().with("s3:prefix", "home/ana/x").with("aws:username", "*"), FALSE),
                check("ArnLike with variable", VARIABLES, userArn,
                        context().with("aws:username", "ana")
                                .with("aws:PrincipalArn", "arn:aws:iam::111122223333:user/ana"), TRUE),
                literal("Version 2008-10-17 keeps ${aws:username} as text",
                        "{'StringEquals': {'s3:prefix': '${aws:username}'}}",
                        context().with("s3:prefix", "${aws:username}").with("aws:username", "ana"), TRUE),
                literal("Version 2008-10-17 does not substitute",
                        "{'StringEquals': {'s3:prefix': '${aws:username}'}}",
                        context().with("s3:prefix", "ana").with("aws:username", "ana"), FALSE));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Malformed blocks

    static Stream<Arguments> malformedBlocks() {
        return Stream.of(
                Arguments.of("[]", "expected a JSON object"),
                Arguments.of("'StringEquals'", "expected a JSON object"),
                Arguments.of("{'StringEqual': {'aws:username': 'a'}}", "unknown condition operator 'StringEqual'"),
                Arguments.of("{'stringEquals': {'aws:username': 'a'}}", "unknown condition operator 'stringEquals'"),
                Arguments.of("{'ForAnyValue:': {'aws:TagKeys': 'a'}}", "unknown condition operator 'ForAnyValue:'"),
                Arguments.of("{'NullIfExists': {'aws:TokenIssueTime': 'true'}}", "Null takes no IfExists"),
                Arguments.of("{'StringEquals': 'a'}", "operator 'StringEquals' must map"),
                Arguments.of("{'StringEquals': {}}", "operator 'StringEquals' must map"),
                Arguments.of("{'StringEquals': {'aws:username': []}}", "key 'aws:username' has an empty list"),
                Arguments.of("{'StringEquals': {'aws:username': {'a': 1}}}", "not a string, number or boolean"),
                Arguments.of("{'StringEquals': {'aws:username': [null]}}", "not a string, number or boolean"),
                Arguments.of("{'NumericLessThan': {'s3:max-keys': 'ten'}}", "value 'ten', which is not a number"),
                Arguments.of("{'NumericEquals': {'s3:max-keys': '${aws:username}'}}", "not a number"),
                Arguments.of("{'DateLessThan': {'aws:CurrentTime': '2020-13-01'}}", "not an ISO 8601 date"),
                Arguments.of("{'IpAddress': {'aws:SourceIp': '300.0.0.1'}}", "not an IPv4 or IPv6 address"),
                Arguments.of("{'IpAddress': {'aws:SourceIp': '10.0.0.0/33'}}", "not an IPv4 or IPv6 address"),
                Arguments.of("{'NotIpAddress': {'aws:SourceIp': '2001:db8::1::2'}}", "not an IPv4 or IPv6"),
                Arguments.of("{'BinaryEquals': {'key': 'not base64!'}}", "not base64 text"),
                Arguments.of("{'Bool': {'aws:SecureTransport': 'yes'}}", "Bool takes true or false"),
                Arguments.of("{'Null': {'aws:TokenIssueTime': 'maybe'}}", "Null takes true or false"),
                Arguments.of("{'StringLike': {'s3:prefix': 'home/${aws:username'}}", "has no closing '}'"),
                Arguments.of("{'StringLike': {'s3:prefix': 'home/${}'}}", "names no context key"),
                Arguments.of("{'StringEquals': {'aws:userid': '${aws:userid, anonymous}'}}",
                        "must be in single quotes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedBlocks")
    void compile_rejectsMalformedBlock(String block, String expectedMessage) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> ConditionEvaluator.compile(json(block), true));

        assertTrue(error.getMessage().contains(expectedMessage),
                "message '" + error.getMessage() + "' should contain '" + expectedMessage + "'");
    }

    @Test
    void compile_rejectsMissingBlock() {
        assertThrows(IllegalArgumentException.class, () -> ConditionEvaluator.compile(null, true));
    }

    @Test
    void compile_keepsVariableSyntaxLiteralInVersion2008() {
        CompiledCondition condition = ConditionEvaluator.compile(json("{'StringLike': {'s3:prefix': 'home/${'}}"),
                false);

        assertEquals(Tri.TRUE, condition.evaluate(context().with("s3:prefix", "home/${")).value());
    }

    // ---------------------------------------------------------------------------------------------------------
    // PolicyVariables.substitute

    static Stream<Arguments> substitutions() {
        String admin = "arn:aws:iam::000000000000:user/${aws:username}";
        return Stream.of(
                // PMapper tests/test_local_querying.py: a Resource with ${aws:username} for user asdf.
                Arguments.of(admin, context().with("aws:username", "asdf"), "arn:aws:iam::000000000000:user/asdf"),
                Arguments.of("home/${aws:userid}/", context().with("aws:userid", "AIDA1"), "home/AIDA1/"),
                Arguments.of("bucket/${aws:PrincipalTag/department}", context().with("aws:principaltag/Department",
                        "hr"), "bucket/hr"),
                Arguments.of("home/${aws:username}/", context().unknown("aws:username"), null),
                Arguments.of("home/${aws:username}/", context(), PolicyVariables.NO_VALUE),
                Arguments.of("home/${aws:TagKeys}/", context().with("aws:TagKeys", "a", "b"), PolicyVariables.NO_VALUE),
                Arguments.of("home/${aws:userid, 'anonymous'}", context(), "home/anonymous"),
                Arguments.of("home/${ aws:userid , 'a b' }", context(), "home/a b"),
                Arguments.of("home/${aws:userid, 'anonymous'}", context().unknown("aws:userid"), null),
                Arguments.of("${*}${?}${$}", context(), "*?$"),
                Arguments.of("no variables", context(), "no variables"),
                Arguments.of("$5 and {x}", context(), "$5 and {x}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("substitutions")
    void substitute_table(String text, TestContext context, String expected) {
        assertEquals(expected, PolicyVariables.substitute(text, context));
    }

    @Test
    void substitute_noValueIsRecognised() {
        String result = PolicyVariables.substitute("${aws:username}", context());

        assertTrue(PolicyVariables.isNoValue(result));
        assertTrue(!PolicyVariables.isNoValue("arn:aws:iam::000000000000:user/asdf"));
    }

    @Test
    void conditionResult_rejectsUnknownWithoutUnresolved() {
        assertThrows(IllegalArgumentException.class, () -> new ConditionResult(Tri.UNKNOWN, List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new ConditionResult(Tri.TRUE, List.of(unresolved("Bool", "aws:SecureTransport", "true"))));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Helpers

    /**
     * One row of the table.
     *
     * @param policyVariables false for a policy of version 2008-10-17
     * @param unresolved      the expected unresolved conditions; empty unless {@code expected} is UNKNOWN
     */
    record Case(String name, String source, String condition, boolean policyVariables, TestContext context,
                Tri expected, List<UnresolvedCondition> unresolved) {

        @Override
        public String toString() {
            return name + " [" + source + "]";
        }
    }

    private static Case check(String name, String source, String condition, TestContext context, Tri expected) {
        return new Case(name, source, condition, true, context, expected, List.of());
    }

    private static Case unknown(String name, String source, String condition, TestContext context,
                                UnresolvedCondition... unresolved) {
        return new Case(name, source, condition, true, context, Tri.UNKNOWN, List.of(unresolved));
    }

    private static Case literal(String name, String condition, TestContext context, Tri expected) {
        return new Case(name, VARIABLES, condition, false, context, expected, List.of());
    }

    private static UnresolvedCondition unresolved(String operator, String key, String... values) {
        return new UnresolvedCondition(operator, key, List.of(values));
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Invalid JSON in test case: " + text, e);
        }
    }

    private static TestContext context() {
        return new TestContext();
    }

    /**
     * A context for tests: keys given values are present, keys marked unknown return null, and every other key is
     * known to be absent. Key names compare ignoring case, as the {@link ConditionContext} contract requires.
     */
    static final class TestContext implements ConditionContext {

        private final Map<String, List<String>> known = new HashMap<>();
        private final Set<String> unknownKeys = new HashSet<>();

        TestContext with(String key, String... values) {
            known.put(key.toLowerCase(Locale.ROOT), List.of(values));
            return this;
        }

        /** Sets a key as PMapper's tests do, where an empty string means the request lacks the key. */
        TestContext pmapper(String key, String value) {
            return value.isEmpty() ? with(key) : with(key, value);
        }

        TestContext unknown(String key) {
            unknownKeys.add(key.toLowerCase(Locale.ROOT));
            return this;
        }

        @Override
        public List<String> values(String key) {
            String lower = key.toLowerCase(Locale.ROOT);
            return unknownKeys.contains(lower) ? null : known.getOrDefault(lower, List.of());
        }

        @Override
        public String toString() {
            return "context " + known + (unknownKeys.isEmpty() ? "" : ", unknown " + unknownKeys);
        }
    }
}
