package dev.nhigraph.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nhigraph.policy.Policy;
import dev.nhigraph.policy.Statement;
import dev.nhigraph.policy.eval.ConditionEvaluator;
import dev.nhigraph.policy.eval.Tri;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Reading provider subjects from the sub and aud conditions of one trust statement. */
class FederatedSubjectsTest {

    private static final String GITHUB = "arn:aws:iam::333333333333:oidc-provider/token.actions.githubusercontent.com";
    private static final String SUB = "token.actions.githubusercontent.com:sub";
    private static final String AUD = "token.actions.githubusercontent.com:aud";
    private static final String EKS_HOST = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
    private static final String WEB_IDENTITY = "sts:AssumeRoleWithWebIdentity";

    @Test
    void exactSub_isOneBranch() {
        List<FederatedSubject> subjects = github("""
                {"StringEquals": {"%s": "sts.amazonaws.com", "%s": "repo:acme/app:ref:refs/heads/main"}}""".formatted(AUD, SUB));

        assertEquals(1, subjects.size());
        FederatedSubject subject = subjects.get(0);
        assertFalse(subject.anySubject());
        assertEquals("github", subject.providerKind());
        assertEquals("acme/app", subject.repository());
        assertEquals("refs/heads/main", subject.ref());
        assertNull(subject.environment());
        assertEquals("StringEquals", subject.operator());
        assertEquals(List.of("sts.amazonaws.com"), subject.audiences());
        assertTrue(subject.standardAudience());
        assertEquals("repository acme/app, branch main", subject.description());
        assertEquals("token.actions.githubusercontent.com:sub=repo:acme/app:ref:refs/heads/main", subject.id());
    }

    @ParameterizedTest(name = "{0} is any repository")
    @CsvSource({"repo:*", "*", "repo:*/app:*", "repo:ac*/app:ref:refs/heads/main", "repo:acme?/app:*", "**"})
    void wildcardOwner_isAnyRepository(String pattern) {
        FederatedSubject subject = single(github("""
                {"StringLike": {"%s": "%s"}}""".formatted(SUB, pattern)));

        assertTrue(subject.anySubject(), subject.description());
        assertTrue(subject.description().startsWith("any repository on GitHub"), subject.description());
    }

    @ParameterizedTest(name = "{0} stays in its owner")
    @CsvSource(delimiter = '|', value = {
            "repo:acme/*|acme/*|repositories acme/* of owner acme",
            "repo:acme/app:*|acme/app|repository acme/app, any branch, tag, environment or event",
            "repo:acme/app:environment:prod*|acme/app|repository acme/app, environment prod*",
            "repo:acme/app:pull_request|acme/app|repository acme/app, pull requests",
            "repo:acme/app:ref:refs/tags/v?|acme/app|repository acme/app, tag v?"})
    void literalOwner_notAnyRepository(String pattern, String repository, String description) {
        FederatedSubject subject = single(github("""
                {"StringLike": {"%s": "%s"}}""".formatted(SUB, pattern)));

        assertFalse(subject.anySubject(), subject.description());
        assertEquals(repository, subject.repository());
        assertEquals(description, subject.description());
    }

    @Test
    void stringEqualsStar_isLiteral() {
        // StringEquals has no wildcards, so "repo:*" matches only that literal text, which GitHub never issues.
        FederatedSubject subject = single(github("""
                {"StringEquals": {"%s": "repo:*"}}""".formatted(SUB)));

        assertFalse(subject.anySubject());
        assertFalse(subject.wildcard());
        assertTrue(subject.id().endsWith(" (literal)"), subject.id());
    }

    @Test
    void missingSub_isAnyRepository() {
        FederatedSubject subject = single(github("""
                {"StringEquals": {"%s": "sts.amazonaws.com"}}""".formatted(AUD)));

        assertTrue(subject.anySubject());
        assertNull(subject.operator());
        assertEquals("*", subject.pattern());
        assertEquals("any repository on GitHub", subject.description());
    }

    @Test
    void noCondition_isAnyRepository() {
        Statement statement = statement("Allow", GITHUB, WEB_IDENTITY, null);

        FederatedSubject subject = single(FederatedSubjects.admittedBy(GITHUB, statement));

        assertTrue(subject.anySubject());
        assertTrue(subject.audiences().isEmpty());
    }

    @Test
    void onlyNegatedSub_isAnyRepositoryWithExclusion() {
        FederatedSubject subject = single(github("""
                {"StringNotLike": {"%s": "repo:evil/*"}}""".formatted(SUB)));

        assertTrue(subject.anySubject());
        assertEquals(List.of("repo:evil/*"), subject.excluded());
        assertEquals("any repository on GitHub, except repo:evil/*", subject.description());
    }

    @Test
    void valueList_givesOneSubjectEach() {
        List<FederatedSubject> subjects = github("""
                {"StringLike": {"%s": ["repo:acme/app:environment:production", "repo:acme/api:ref:refs/heads/main"]}}"""
                .formatted(SUB));

        assertEquals(2, subjects.size());
        assertEquals("production", subjects.get(0).environment());
        assertEquals("acme/api", subjects.get(1).repository());
        assertEquals("refs/heads/main", subjects.get(1).ref());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"ForAnyValue:StringLike", "ForAllValues:StringEquals", "StringLikeIfExists", "StringEqualsIgnoreCase"})
    void operatorVariants_nameSubjects(String operator) {
        FederatedSubject subject = single(github("""
                {"%s": {"%s": ["repo:acme/app:ref:refs/heads/main"]}}""".formatted(operator, SUB)));

        assertFalse(subject.anySubject());
        assertEquals(operator, subject.operator());
        assertEquals("acme/app", subject.repository());
    }

    @Test
    void conditionKey_comparesIgnoringCase() {
        FederatedSubject subject = single(github("""
                {"StringEquals": {"Token.Actions.GitHubUserContent.com:Sub": "repo:acme/app:ref:refs/heads/main"}}"""));

        assertFalse(subject.anySubject());
    }

    @Test
    void otherAudience_isNotStandard() {
        FederatedSubject subject = single(github("""
                {"StringEquals": {"%s": "sigstore", "%s": "repo:acme/app:ref:refs/heads/main"}}""".formatted(AUD, SUB)));

        assertFalse(subject.standardAudience());
        assertEquals(List.of("sigstore"), subject.audiences());
        assertEquals(List.of("sigstore"), subject.conditionContext().values(AUD));
    }

    @Test
    void conditionContext_decidesStatement() {
        String condition = """
                {"StringEquals": {"%s": "sts.amazonaws.com"}, "StringLike": {"%s": "repo:acme/*"}}""".formatted(AUD, SUB);
        Statement statement = statement("Allow", GITHUB, WEB_IDENTITY, condition);
        FederatedSubject subject = single(FederatedSubjects.admittedBy(GITHUB, statement));

        Tri value = ConditionEvaluator.compile(statement.condition(), false).evaluate(subject.conditionContext()).value();

        assertEquals(Tri.TRUE, value);
    }

    @Test
    void otherAction_admitsNobody() {
        Statement assumeRole = statement("Allow", GITHUB, "sts:AssumeRole", null);
        Statement deny = statement("Deny", GITHUB, WEB_IDENTITY, null);

        assertTrue(FederatedSubjects.admittedBy(GITHUB, assumeRole).isEmpty());
        assertTrue(FederatedSubjects.admittedBy(GITHUB, deny).isEmpty());
    }

    @Test
    void eksSub_givesNamespaceAndServiceAccount() {
        String provider = "arn:aws:iam::333333333333:oidc-provider/" + EKS_HOST;
        Statement statement = statement("Allow", provider, WEB_IDENTITY, """
                {"StringEquals": {"%s:sub": "system:serviceaccount:payments:api"}}""".formatted(EKS_HOST));

        FederatedSubject subject = single(FederatedSubjects.admittedBy(provider, statement));

        assertEquals("eks", subject.providerKind());
        assertEquals("payments", subject.namespace());
        assertEquals("api", subject.serviceAccount());
        assertFalse(subject.anySubject());
        assertEquals("service account api in namespace payments", subject.description());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"system:serviceaccount:*", "system:serviceaccount:*:api", "*"})
    void eksWildcardNamespace_isAnyServiceAccount(String pattern) {
        String provider = "arn:aws:iam::333333333333:oidc-provider/" + EKS_HOST;
        Statement statement = statement("Allow", provider, WEB_IDENTITY, """
                {"StringLike": {"%s:sub": "%s"}}""".formatted(EKS_HOST, pattern));

        FederatedSubject subject = single(FederatedSubjects.admittedBy(provider, statement));

        assertTrue(subject.anySubject(), subject.description());
    }

    @Test
    void otherOidc_takesSubjectAsWritten() {
        String provider = "arn:aws:iam::333333333333:oidc-provider/gitlab.com";
        Statement statement = statement("Allow", provider, WEB_IDENTITY, """
                {"StringEquals": {"gitlab.com:aud": "https://gitlab.com"},
                 "StringLike": {"gitlab.com:sub": "project_path:acme/app:ref_type:branch:ref:main"}}""");

        FederatedSubject subject = single(FederatedSubjects.admittedBy(provider, statement));

        assertEquals("oidc", subject.providerKind());
        assertFalse(subject.anySubject());
        assertEquals("subject project_path:acme/app:ref_type:branch:ref:main", subject.description());
        assertEquals("gitlab.com:sub=project_path:acme/app:ref_type:branch:ref:main aud=https://gitlab.com", subject.id());
    }

    @Test
    void builtInProviderWithoutAud_isAnySubject() {
        Statement statement = statement("Allow", "accounts.google.com", WEB_IDENTITY, """
                {"StringEquals": {"accounts.google.com:sub": "110000000000000000001"}}""");

        FederatedSubject subject = single(FederatedSubjects.admittedBy("accounts.google.com", statement));

        assertTrue(subject.anySubject());
        assertTrue(subject.description().contains("any application"), subject.description());
    }

    @Test
    void samlWithoutSub_anyUser() {
        String provider = "arn:aws:iam::333333333333:saml-provider/CorporateIdP";
        Statement statement = statement("Allow", provider, "sts:AssumeRoleWithSAML", """
                {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}""");

        FederatedSubject subject = single(FederatedSubjects.admittedBy(provider, statement));

        assertEquals("saml", subject.protocol());
        assertTrue(subject.anySubject());
        assertEquals(provider + "#saml:sub=*", subject.id());
        assertEquals(List.of("https://signin.aws.amazon.com/saml"), subject.conditionContext().values("SAML:aud"));
    }

    private static List<FederatedSubject> github(String condition) {
        return FederatedSubjects.admittedBy(GITHUB, statement("Allow", GITHUB, WEB_IDENTITY, condition));
    }

    private static FederatedSubject single(List<FederatedSubject> subjects) {
        assertEquals(1, subjects.size(), "subjects: " + subjects);
        return subjects.get(0);
    }

    private static Statement statement(String effect, String provider, String action, String condition) {
        String document = """
                {"Version": "2012-10-17", "Statement": [{"Effect": "%s", "Principal": {"Federated": "%s"},
                 "Action": "%s"%s}]}""".formatted(effect, provider, action,
                condition == null ? "" : ", \"Condition\": " + condition);
        return Policy.parse("test#trust", "trust policy of test", "trust", document).statements().get(0);
    }
}
