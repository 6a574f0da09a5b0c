package dev.nhigraph.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nhigraph.policy.eval.CompiledPolicy;
import dev.nhigraph.testsupport.Fuzz;
import dev.nhigraph.testsupport.SharedGraph;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutations of real IAM policy documents, taken from the bundled sample export: parsing and compiling reject
 * a bad document only with {@link IllegalArgumentException} naming the policy, and no document takes longer than its
 * time limit.
 */
class PolicyFuzzTest {

    private static final long SEED = 20_261_205L;
    private static final int INPUTS = 10_000;
    private static final long TIMEOUT_MILLIS = 5_000;
    private static final String POLICY_ID = "fuzz-policy-id";

    @Test
    void mutatedPolicies_parseOrRejectClearly() throws IOException {
        List<String> seeds = samplePolicies();

        try (Fuzz fuzz = new Fuzz(SEED, TIMEOUT_MILLIS)) {
            List<String> inputs = new ArrayList<>(seeds);
            for (int index = inputs.size(); index < INPUTS; index++) {
                Random random = fuzz.random(index);
                String seed = seeds.get(random.nextInt(seeds.size()));
                inputs.add(random.nextInt(4) == 0 ? Fuzz.mutateText(seed, random) : Fuzz.mutateJson(seed, random));
            }

            Fuzz.Tally tally = fuzz.run("IAM policy", inputs, input -> {
                Policy policy = Policy.parse(POLICY_ID, "fuzz", "managed", input);
                CompiledPolicy.compile(policy);
            }, IllegalArgumentException.class, message -> message.contains(POLICY_ID));

            System.out.println("Fuzz: " + tally);
        }
    }

    /** Returns the documents of the sample's managed policies and inline role policies. */
    private static List<String> samplePolicies() throws IOException {
        JsonNode sample = PolicyDocuments.JSON.readTree(Files.readString(SharedGraph.SAMPLE));
        List<String> documents = new ArrayList<>();
        for (JsonNode policy : sample.path("Policies")) {
            for (JsonNode version : policy.path("PolicyVersionList")) {
                documents.add(PolicyDocuments.decode(version.path("Document")).toString());
            }
        }
        for (JsonNode role : sample.path("RoleDetailList")) {
            documents.add(PolicyDocuments.decode(role.path("AssumeRolePolicyDocument")).toString());
            for (JsonNode inline : role.path("RolePolicyList")) {
                documents.add(PolicyDocuments.decode(inline.path("PolicyDocument")).toString());
            }
        }
        return documents;
    }
}
