package dev.nhigraph.audit;

import ch.qos.logback.core.FileAppender;

/**
 * A logback file appender that creates its file on the first event instead of at startup.
 *
 * <p>logback starts every configured appender when the first logger is used, so a plain FileAppender would create an
 * empty audit file in the working directory for every command, including {@code nhigraph --help}. With this one only
 * a command that audits something, such as {@code serve}, creates it.
 */
public final class AuditFileAppender<E> extends FileAppender<E> {

    private boolean openAttempted;

    @Override
    public void start() {
        if (getFile() == null || encoder == null) {
            addError("The audit appender \"" + name + "\" needs a <file> and an <encoder>.");
            return;
        }
        started = true;
    }

    @Override
    protected void append(E event) {
        synchronized (this) {
            if (!openAttempted) {
                openAttempted = true;
                // FileAppender.start() opens the file; when it fails it reports the error to logback's status list and
                // leaves the stream unset, so no audit line can be written and the appender stops.
                super.start();
                if (getOutputStream() == null) {
                    started = false;
                    return;
                }
            }
        }
        super.append(event);
    }
}
