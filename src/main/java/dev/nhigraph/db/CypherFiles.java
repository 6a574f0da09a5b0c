package dev.nhigraph.db;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits the text of a {@code .cypher} file into statements.
 *
 * <p>Lines starting with {@code //} are comments. Statements end with a semicolon at the end of a line,
 * which is how every file under {@code cypher/} is written; a semicolon inside a string literal at the
 * end of a line would split wrongly.
 */
public final class CypherFiles {

    private CypherFiles() {
    }

    public static List<String> statements(String text) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("//") || trimmed.isEmpty()) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                addStatement(statements, current);
            }
        }
        addStatement(statements, current);
        return statements;
    }

    /** Returns the text of a file without its comment lines, for files that hold a single query. */
    public static String body(String text) {
        List<String> statements = statements(text);
        return String.join("\n", statements);
    }

    private static void addStatement(List<String> statements, StringBuilder current) {
        String statement = current.toString().strip();
        if (statement.endsWith(";")) {
            statement = statement.substring(0, statement.length() - 1).strip();
        }
        if (!statement.isEmpty()) {
            statements.add(statement);
        }
        current.setLength(0);
    }
}
