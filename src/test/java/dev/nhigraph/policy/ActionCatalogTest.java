package dev.nhigraph.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nhigraph.policy.ActionCatalog.Action;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ActionCatalogTest {

    /** Counts in the bundled reference: 464 prefixes, of which 4 deprecated ones have no actions. */
    private static final int ACTION_COUNT = 21_123;
    private static final int SERVICE_COUNT = 460;

    private static final long MAX_HEAP_BYTES = 50L * 1024 * 1024;

    private final ActionCatalog catalog = ActionCatalog.loadDefault();

    @Test
    void defaultCatalogueCounts() {
        assertEquals(ACTION_COUNT, catalog.size());
        assertEquals(ACTION_COUNT, catalog.all().size());
        assertEquals(SERVICE_COUNT, catalog.services().size());
        assertTrue(catalog.services().contains("iam"));
        assertTrue(catalog.services().contains("s3"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"iotthingsgraph", "macie", "mobilehub", "sumerian"})
    void prefixesWithoutActionsAreNotServices(String prefix) {
        assertFalse(catalog.services().contains(prefix));
        assertTrue(catalog.match(prefix + ":*").isEmpty());
    }

    @Test
    void defaultCatalogueIsCached() {
        assertSame(catalog, ActionCatalog.loadDefault());
    }

    @Test
    void accessLevelCountsMatchReference() {
        Map<AccessLevel, Integer> counts = new EnumMap<>(AccessLevel.class);
        for (Action action : catalog.all()) {
            counts.merge(action.accessLevel(), 1, Integer::sum);
        }

        assertEquals(10_843, counts.get(AccessLevel.WRITE));
        assertEquals(5_636, counts.get(AccessLevel.READ));
        assertEquals(3_530, counts.get(AccessLevel.LIST));
        assertEquals(715, counts.get(AccessLevel.TAGGING));
        assertEquals(399, counts.get(AccessLevel.PERMISSIONS_MANAGEMENT));
        assertFalse(counts.containsKey(AccessLevel.UNKNOWN), "actions without a known access level");
    }

    @ParameterizedTest
    @CsvSource({
        "iam:PassRole, WRITE",
        "s3:GetObject, READ",
        "iam:PutRolePolicy, PERMISSIONS_MANAGEMENT",
        "s3:ListAllMyBuckets, LIST",
        "ec2:CreateTags, TAGGING",
    })
    void knownAccessLevels(String fullName, AccessLevel expected) {
        Optional<Action> action = catalog.find(fullName);

        assertTrue(action.isPresent(), fullName + " not found");
        assertEquals(expected, action.get().accessLevel());
    }

    @Test
    void resourceTypesKeepRequiredMarker() {
        assertEquals(List.of("role*"), catalog.find("iam:PassRole").orElseThrow().resourceTypes());
        assertEquals(List.of(), catalog.find("s3:ListAllMyBuckets").orElseThrow().resourceTypes());
        assertEquals(List.of("accesspointobject", "object"),
                catalog.find("s3:GetObject").orElseThrow().resourceTypes());
        assertTrue(catalog.find("ec2:AcceptVpcPeeringConnection").orElseThrow()
                .resourceTypes().contains("vpc-peering-connection*"));
    }

    @Test
    void findIgnoresCase() {
        Optional<Action> upper = catalog.find("IAM:PASSROLE");
        Optional<Action> mixed = catalog.find("iam:passRole");

        assertTrue(upper.isPresent());
        assertEquals("iam:PassRole", upper.get().fullName());
        assertEquals(upper, mixed);
    }

    @Test
    void findMissesUnknownAndWildcards() {
        assertTrue(catalog.find("iam:NoSuchAction").isEmpty());
        assertTrue(catalog.find("nosuchservice:GetObject").isEmpty());
        assertTrue(catalog.find("s3:Get*").isEmpty(), "find must not expand wildcards");
        assertTrue(catalog.find("PassRole").isEmpty());
    }

    @Test
    void matchMidNameWildcard() {
        List<String> names = fullNames(catalog.match("ec2:*VpcPeering*"));

        assertTrue(names.contains("ec2:AcceptVpcPeeringConnection"), names.toString());
        assertTrue(names.contains("ec2:CreateVpcPeeringConnection"), names.toString());
        for (String name : names) {
            assertTrue(name.startsWith("ec2:"), name);
            assertTrue(name.contains("VpcPeering"), name);
        }
        assertEquals(bruteForceMatch("ec2:*VpcPeering*"), names);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "ec2:*VpcPeering*", "s3:Get*Acl", "s3:*Object*", "iam:*Policy", "iam:Pass?ole", "*:Get*Policy",
        "s?:GetObject", "*Tags", "sts:AssumeRole*", "Lambda:*function*", "ec2:???Tags", "*a*e*i*o*u*",
        "iam:*", "*:*", "s3:", "s3:*?", "?*:?", "ec2:**Vpc**", "iam*",
    })
    void matchAgreesWithRegex(String pattern) {
        assertEquals(bruteForceMatch(pattern), fullNames(catalog.match(pattern)));
    }

    @Test
    void matchQuestionMark() {
        assertEquals(List.of("iam:PassRole"), fullNames(catalog.match("iam:Pass?ole")));
        assertEquals(List.of("s3:GetObject"), fullNames(catalog.match("s3:GetObjec?")));
        assertFalse(fullNames(catalog.match("s3:GetObject?")).contains("s3:GetObject"));
        assertTrue(fullNames(catalog.match("?3:GetObject")).contains("s3:GetObject"));
    }

    @Test
    void matchUpperCaseService() {
        assertEquals(List.of("iam:PassRole"), fullNames(catalog.match("IAM:passrole")));
        assertEquals(fullNames(catalog.match("iam:pass*")), fullNames(catalog.match("IAM:Pass*")));
        assertFalse(catalog.match("IAM:Pass*").isEmpty());
    }

    @Test
    void matchStarAloneReturnsAll() {
        assertEquals(ACTION_COUNT, catalog.match("*").size());
        assertEquals(ACTION_COUNT, catalog.match("*:*").size());
    }

    @Test
    void matchUnknownReturnsEmpty() {
        assertTrue(catalog.match("nosuchservice:*").isEmpty());
        assertTrue(catalog.match("nosuchservice:GetObject").isEmpty());
        assertTrue(catalog.match("iam:NoSuchAction").isEmpty());
        assertTrue(catalog.match("iam:NoSuch*").isEmpty());
        assertTrue(catalog.match("").isEmpty());
    }

    @Test
    void returnedCollectionsAreUnmodifiable() {
        Action action = catalog.find("iam:PassRole").orElseThrow();

        assertThrows(UnsupportedOperationException.class, () -> catalog.all().clear());
        assertThrows(UnsupportedOperationException.class, () -> catalog.services().clear());
        assertThrows(UnsupportedOperationException.class, () -> catalog.match("iam:*").clear());
        assertThrows(UnsupportedOperationException.class, () -> action.resourceTypes().clear());
    }

    @ParameterizedTest
    @CsvSource({
        "List, LIST",
        "read, READ",
        "WRITE, WRITE",
        "permissions MANAGEMENT, PERMISSIONS_MANAGEMENT",
        "' Tagging ', TAGGING",
        "Unknown, UNKNOWN",
        "Admin, UNKNOWN",
        "'', UNKNOWN",
    })
    void accessLevelFromLabel(String label, AccessLevel expected) {
        assertEquals(expected, AccessLevel.fromLabel(label));
    }

    @Test
    void accessLevelFromNullLabel() {
        assertEquals(AccessLevel.UNKNOWN, AccessLevel.fromLabel(null));
    }

    @Test
    void readParsesCommentsAndFields() throws IOException {
        ActionCatalog small = ActionCatalog.read(gzip(
                "# comment\n"
                        + "iam\tPassRole\tWrite\trole*\n"
                        + "\n"
                        + "s3\tListAllMyBuckets\tList\t\n"
                        + "x\tOdd\tAdmin\ta*,b\n"));

        assertEquals(3, small.size());
        assertEquals(List.of("iam", "s3", "x"), List.copyOf(small.services()));
        assertEquals(List.of(), small.find("s3:ListAllMyBuckets").orElseThrow().resourceTypes());
        Action odd = small.find("x:odd").orElseThrow();
        assertEquals(AccessLevel.UNKNOWN, odd.accessLevel());
        assertEquals(List.of("a*", "b"), odd.resourceTypes());
    }

    @Test
    void readRejectsWrongFieldCount() {
        IOException error = assertThrows(IOException.class,
                () -> ActionCatalog.read(gzip("# header\niam\tPassRole\tWrite\n")));

        assertTrue(error.getMessage().contains("line 2"), error.getMessage());
    }

    @Test
    void readRejectsDuplicateIgnoringCase() {
        IOException error = assertThrows(IOException.class,
                () -> ActionCatalog.read(gzip("iam\tPassRole\tWrite\t\nIAM\tpassrole\tWrite\t\n")));

        assertTrue(error.getMessage().contains("Duplicate action"), error.getMessage());
    }

    @Test
    void readRejectsPlainText() {
        byte[] plain = "iam\tPassRole\tWrite\t\n".getBytes(StandardCharsets.UTF_8);

        assertThrows(IOException.class, () -> ActionCatalog.read(new ByteArrayInputStream(plain)));
    }

    /**
     * Loads a second copy of the bundled catalogue and compares used heap before and after, with a
     * full GC request each time. System.gc() is only a hint, so this is a rough sanity bound and not
     * a precise measurement.
     */
    @Test
    void loadedCatalogueHeapStaysSmall() throws IOException {
        long before = usedHeapAfterGc();
        ActionCatalog copy;
        try (InputStream in = ActionCatalog.class.getResourceAsStream(ActionCatalog.DEFAULT_RESOURCE)) {
            copy = ActionCatalog.read(in);
        }
        long used = usedHeapAfterGc() - before;

        // Using the copy after the measurement keeps it reachable during the second GC.
        assertEquals(ACTION_COUNT, copy.size());
        assertTrue(used < MAX_HEAP_BYTES, "catalogue used " + used + " bytes of heap");
    }

    private static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private List<String> bruteForceMatch(String pattern) {
        Pattern regex = globToRegex(pattern);
        return catalog.all().stream()
                .map(Action::fullName)
                .filter(name -> regex.matcher(name).matches())
                .toList();
    }

    private static Pattern globToRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*') {
                regex.append(".*");
            } else if (c == '?') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    }

    private static List<String> fullNames(List<Action> actions) {
        return actions.stream().map(Action::fullName).toList();
    }

    private static InputStream gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return new ByteArrayInputStream(bytes.toByteArray());
    }
}
