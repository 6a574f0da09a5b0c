package dev.nhigraph.query;

import dev.nhigraph.BadInputException;
import dev.nhigraph.db.CypherFiles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One saved analyst query: a {@code cypher/queries/NAME.cypher} file with a comment header and one statement.
 *
 * <p>The header is a block of {@code //} lines at the top of the file, each field starting with {@code // FIELD:};
 * a field continues on the following comment lines that are indented by two or more spaces. Fields:
 * {@code name} (the file name without {@code .cypher}), {@code description}, {@code parameters} ({@code none}, or
 * one line per parameter of the form {@code NAME (TYPE[, default VALUE]): what it sets}, TYPE being string,
 * integer, boolean or principal) and {@code limitations}.
 *
 * @param name        the name that {@code --saved} and {@code /api/queries/NAME} take
 * @param description what the rows are
 * @param parameters  the declared parameters, in header order
 * @param limitations what the query leaves out or gets wrong
 * @param cypher      the statement, without comment lines
 */
public record SavedQuery(String name, String description, List<Parameter> parameters, String limitations, String cypher) {

    /**
     * The type of a parameter that names a principal. Its value may be an id, a name, a unique id or a key id: the
     * caller resolves it to the principal's id before the query runs, as blast-radius and paths do.
     */
    public static final String PRINCIPAL = "principal";

    /**
     * One declared parameter.
     *
     * @param defaultValue the value used when the caller gives none, already of {@code type}; null for a required one
     */
    public record Parameter(String name, String type, Object defaultValue, String description) {

        /** Converts {@code value} (a string from the command line, or a JSON value) to this parameter's type. */
        public Object convert(Object value, String queryName) {
            if (value == null) {
                return null;
            }
            String text = value.toString().strip();
            switch (type) {
                case "integer" -> {
                    if (value instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())) {
                        return number.longValue();
                    }
                    try {
                        return Long.parseLong(text);
                    } catch (NumberFormatException e) {
                        throw new BadInputException("Parameter " + name + "=\"" + text + "\" of saved query " + queryName
                                + " is not a whole number; give one such as " + name + "=90.");
                    }
                }
                case "boolean" -> {
                    if (value instanceof Boolean flag) {
                        return flag;
                    }
                    if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
                        throw new BadInputException("Parameter " + name + "=\"" + text + "\" of saved query " + queryName
                                + " is not true or false.");
                    }
                    return Boolean.parseBoolean(text.toLowerCase(Locale.ROOT));
                }
                default -> {
                    return value instanceof String string ? string : text;
                }
            }
        }
    }

    private static final Pattern FIELD = Pattern.compile("^//\\s?([a-z]+):\\s*(.*)$");
    private static final Pattern CONTINUATION = Pattern.compile("^//\\s{2,}(.*)$");
    private static final Pattern PARAMETER = Pattern.compile(
            "^\\$?([A-Za-z][A-Za-z0-9_]*)\\s*\\((string|integer|boolean|principal)(?:,\\s*default\\s+([^)]*))?\\)\\s*:\\s*(.+)$");

    /**
     * Parses the text of a saved query file.
     *
     * @param file the file's name, such as {@code admin-policies.cypher}, for messages and the name check
     * @throws BadInputException when a header field is missing, the name differs from the file name, a parameter line
     *                           is malformed, or the file contains no statement or more than one
     */
    public static SavedQuery parse(String file, String text) {
        Map<String, StringBuilder> fields = new LinkedHashMap<>();
        String current = null;
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (!trimmed.startsWith("//")) {
                break;
            }
            Matcher continuation = CONTINUATION.matcher(trimmed);
            Matcher field = FIELD.matcher(trimmed);
            if (current != null && continuation.matches() && !field.matches()) {
                fields.get(current).append('\n').append(continuation.group(1).strip());
            } else if (field.matches()) {
                current = field.group(1);
                fields.put(current, new StringBuilder(field.group(2).strip()));
            } else {
                current = null;
            }
        }

        String name = required(fields, "name", file);
        String expected = file.endsWith(".cypher") ? file.substring(0, file.length() - ".cypher".length()) : file;
        if (!name.equals(expected)) {
            throw new BadInputException("Saved query " + file + " names itself \"" + name + "\"; the name must equal the"
                    + " file name without .cypher (" + expected + ").");
        }
        List<String> statements = CypherFiles.statements(text);
        if (statements.size() != 1) {
            throw new BadInputException("Saved query " + file + " contains " + statements.size() + " statements; a saved"
                    + " query file contains exactly one.");
        }
        return new SavedQuery(name, oneLine(required(fields, "description", file)),
                parameters(required(fields, "parameters", file), file), oneLine(required(fields, "limitations", file)),
                statements.get(0));
    }

    /** Returns the declared parameter {@code name}, or null. */
    public Parameter parameter(String name) {
        return parameters.stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
    }

    private static String required(Map<String, StringBuilder> fields, String field, String file) {
        StringBuilder value = fields.get(field);
        if (value == null || value.toString().isBlank()) {
            throw new BadInputException("Saved query " + file + " has no \"// " + field + ":\" line in its header;"
                    + " every saved query states name, description, parameters and limitations.");
        }
        return value.toString().strip();
    }

    private static String oneLine(String text) {
        return text.replace('\n', ' ');
    }

    private static List<Parameter> parameters(String text, String file) {
        List<Parameter> parameters = new ArrayList<>();
        if (text.equals("none")) {
            return parameters;
        }
        for (String line : text.split("\n")) {
            Matcher matcher = PARAMETER.matcher(line.strip());
            if (!matcher.matches() && !parameters.isEmpty()) {
                // A description wrapped onto the next line.
                Parameter previous = parameters.remove(parameters.size() - 1);
                parameters.add(new Parameter(previous.name(), previous.type(), previous.defaultValue(),
                        previous.description() + " " + line.strip()));
                continue;
            }
            if (!matcher.matches()) {
                throw new BadInputException("Saved query " + file + ": parameter line \"" + line.strip() + "\" is not of"
                        + " the form NAME (string|integer|boolean|principal[, default VALUE]): DESCRIPTION.");
            }
            Parameter untyped = new Parameter(matcher.group(1), matcher.group(2), null, matcher.group(4).strip());
            Object defaultValue = matcher.group(3) == null ? null : untyped.convert(unquote(matcher.group(3).strip()), file);
            parameters.add(new Parameter(untyped.name(), untyped.type(), defaultValue, untyped.description()));
        }
        return parameters;
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }
}
