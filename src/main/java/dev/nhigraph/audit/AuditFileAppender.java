package dev.nhigraph.audit;

import ch.qos.logback.core.rolling.RollingFileAppender;

/**
 * A logback rolling file appender that creates its file on the first event instead of at startup.
 *
 * <p>logback starts every configured appender when the first logger is used, so a plain file appender would create an
 * empty audit file in the working directory for every command, including {@code nhigraph --help}. With this one only
 * a command that audits something, such as {@code serve}, creates it.
 *
 * <p>Rotation is {@link RollingFileAppender}'s: before each event the triggering policy checks the file's size, and a
 * rollover closes, renames and reopens the file while holding the lock that every write takes. A line encoded before
 * a rollover is written after it, into the new file, so no line is lost or split across a rotation within one
 * process.
 */
public final class AuditFileAppender<E> extends RollingFileAppender<E> {

    private boolean openAttempted;

    @Override
    public void start() {
        if (getFile() == null || encoder == null || getTriggeringPolicy() == null || getRollingPolicy() == null) {
            addError("The audit appender \"" + name + "\" needs a <file>, an <encoder>, a <rollingPolicy> and a"
                    + " <triggeringPolicy>.");
            return;
        }
        started = true;
    }

    @Override
    protected void append(E event) {
        synchronized (this) {
            if (!openAttempted) {
                openAttempted = true;
                // RollingFileAppender.start() checks the policies and opens the file. When it fails, it reports the
                // error to logback's status list and leaves the stream unset, so the appender stops.
                // Events of other threads wait at this lock meanwhile, so none is dropped.
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
