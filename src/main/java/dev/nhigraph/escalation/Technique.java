package dev.nhigraph.escalation;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One AWS privilege-escalation technique: what a caller must be allowed to do, what it acts on, and
 * what it gains. docs/escalation-techniques.md describes every field.
 *
 * @param id the pathfinding.cloud id where the technique has one, else {@code nhigraph-<short-name>}
 * @param name one-line name
 * @param category kind of technique
 * @param target what the caller acts on
 * @param callerKind {@code AwsUser} or {@code AwsRole} when only that kind of caller can use the
 *     technique, else null
 * @param permissions every action the caller must be allowed, each with the resource it is checked on
 * @param targetRequires conditions on the target; empty when there are none
 * @param outcome what the caller gains
 * @param sources for each source that lists the technique, its id or name there
 * @param note what the caller does and any limit, in one or two sentences
 */
public record Technique(String id, String name, Category category, Target target, String callerKind,
        List<Permission> permissions, TargetRequirements targetRequires, Outcome outcome,
        Map<String, String> sources, String note) {

    public Technique {
        // Null elements are kept so that validation can report them with the technique id.
        permissions = permissions == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(permissions));
        targetRequires = targetRequires == null ? TargetRequirements.NONE : targetRequires;
        sources = sources == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(sources));
    }

    /** Kind of technique, in pathfinding.cloud's categories plus two of nhigraph's. */
    public enum Category {
        /** The caller changes its own permissions, directly or through its group or policy. */
        SELF_ESCALATION("self-escalation"),
        /** The caller gets credentials of, or trust from, another principal. */
        PRINCIPAL_ACCESS("principal-access"),
        /** The caller passes a role to compute that it creates or reconfigures. */
        NEW_PASSROLE("new-passrole"),
        /** The caller runs code in a resource that already has a role. */
        EXISTING_PASSROLE("existing-passrole"),
        /** The caller reads credentials that a resource stores. */
        CREDENTIAL_ACCESS("credential-access"),
        OTHER("other");

        private final String label;

        Category(String label) {
            this.label = label;
        }

        @JsonValue
        public String label() {
            return label;
        }

        @JsonCreator
        public static Category fromLabel(String label) {
            return Labels.find(values(), Category::label, label, "category");
        }
    }

    /** Kind of object that the caller acts on. */
    public enum Target {
        SELF("self"),
        ROLE("role"),
        USER("user"),
        GROUP("group"),
        POLICY("policy"),
        /** The technique creates what it uses, so there is no existing target. */
        NONE("none");

        private final String label;

        Target(String label) {
            this.label = label;
        }

        @JsonValue
        public String label() {
            return label;
        }

        @JsonCreator
        public static Target fromLabel(String label) {
            return Labels.find(values(), Target::label, label, "target");
        }
    }

    /** Gain of the caller when the technique succeeds. */
    public enum Outcome {
        /** The caller can act as the target role or user. */
        BECOMES_TARGET("becomes-target"),
        /** The caller can grant itself any permission. */
        ADMIN("admin"),
        /** The caller gains what the target group or policy version allows. */
        GAINS_TARGET_PERMISSIONS("gains-target-permissions");

        private final String label;

        Outcome(String label) {
            this.label = label;
        }

        @JsonValue
        public String label() {
            return label;
        }

        @JsonCreator
        public static Outcome fromLabel(String label) {
            return Labels.find(values(), Outcome::label, label, "outcome");
        }
    }

    /** Lookup of an enum constant by its JSON label, with an error that lists the valid labels. */
    static final class Labels {

        private Labels() {
        }

        static <E> E find(E[] values, java.util.function.Function<E, String> labelOf, String label, String field) {
            for (E value : values) {
                if (labelOf.apply(value).equals(label)) {
                    return value;
                }
            }
            String expected = Arrays.stream(values).map(labelOf).collect(Collectors.joining(", "));
            throw new IllegalArgumentException(
                    "unknown " + field + " \"" + label + "\", expected one of " + expected);
        }
    }
}
