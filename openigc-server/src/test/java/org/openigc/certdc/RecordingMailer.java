package org.openigc.certdc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Wraps CertDC's mailer in the tests: every mail still goes to the platform's outbox, and is also kept here so a
 * test can read the one-time password or the single-use link a person would read in the mail.
 */
public final class RecordingMailer implements CertDcMailer {
    public record Mail(String template, Map<String, Object> model, List<String> to) {
        public String get(String key) {
            return String.valueOf(model.get(key));
        }
    }

    private final CertDcMailer delegate;
    private final List<Mail> mails = new ArrayList<>();

    RecordingMailer(CertDcMailer delegate) {
        this.delegate = delegate;
    }

    @Override
    public void send(String template, Map<String, Object> model, List<String> to) {
        delegate.send(template, model, to);
        synchronized (mails) {
            mails.add(new Mail(template, Map.copyOf(model), List.copyOf(to)));
        }
    }

    public List<Mail> all() {
        synchronized (mails) {
            return List.copyOf(mails);
        }
    }

    /** The last mail of that template sent to that address. */
    public Optional<Mail> last(String template, String to) {
        List<Mail> all = all();
        for (int i = all.size() - 1; i >= 0; i--) {
            Mail mail = all.get(i);
            if (mail.template().equals(template) && mail.to().contains(to)) {
                return Optional.of(mail);
            }
        }
        return Optional.empty();
    }

    public long count(String template, String to) {
        return all().stream().filter(m -> m.template().equals(template) && m.to().contains(to)).count();
    }
}
