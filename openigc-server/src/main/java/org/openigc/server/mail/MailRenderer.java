package org.openigc.server.mail;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.springframework.context.MessageSource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.expression.spel.support.StandardEvaluationContext;
import org.springframework.stereotype.Component;
import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.spring6.expression.ThymeleafEvaluationContext;
import org.thymeleaf.spring6.expression.ThymeleafEvaluationContextWrapper;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/**
 * Renders {@code templates/mail/<name>.txt} (first line {@code Subject: …}) and, when present,
 * {@code templates/mail/<name>.html}. Its own engine, not the web one: Spring Boot's page engine backs off if a
 * second engine bean exists, and mail needs the TEXT mode. Messages ({@code #{…}}) come from the application's bundles.
 */
@Component
class MailRenderer {
    static final String PREFIX = "templates/mail/";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,80}");
    private static final String SUBJECT = "Subject:";
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern LEADING_NEWLINES = Pattern.compile("^\\n+");

    private final SpringTemplateEngine engine = new SpringTemplateEngine();
    /** Which files a template has; classpath resources do not change while the application runs. */
    private final Map<String, Files> files = new ConcurrentHashMap<>();
    /**
     * The SpEL evaluation context, one per thread and reused by every render on it: Thymeleaf would build one for
     * each element level that evaluates an expression, and building one costs more than rendering a short template.
     * What a render leaves in it (the expression objects) is set again before each expression and cleared after.
     */
    private final ThreadLocal<ThymeleafEvaluationContextWrapper> evaluation =
            ThreadLocal.withInitial(() -> new ThymeleafEvaluationContextWrapper(new StandardEvaluationContext()));

    private record Files(boolean text, boolean html) {
    }

    MailRenderer(MessageSource messages) {
        engine.setTemplateEngineMessageSource(messages);
        engine.addTemplateResolver(resolver(TemplateMode.TEXT, "*.txt", 1));
        engine.addTemplateResolver(resolver(TemplateMode.HTML, "*.html", 2));
    }

    private static ClassLoaderTemplateResolver resolver(TemplateMode mode, String pattern, int order) {
        ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver();
        resolver.setPrefix(PREFIX);
        resolver.setTemplateMode(mode);
        resolver.setResolvablePatterns(Set.of(pattern));
        resolver.setCharacterEncoding("UTF-8");
        resolver.setCacheable(true);
        resolver.setOrder(order);
        return resolver;
    }

    /** @throws IllegalArgumentException for an unknown template or one whose first line is not the subject */
    RenderedMail render(String template, Map<String, Object> model, Locale locale) {
        if (template == null || !NAME.matcher(template).matches()) {
            throw new IllegalArgumentException("mail template names are lower-case words and dashes: " + template);
        }
        Files found = files.computeIfAbsent(template, name -> new Files(
                new ClassPathResource(PREFIX + name + ".txt").exists(),
                new ClassPathResource(PREFIX + name + ".html").exists()));
        if (!found.text()) {
            throw new IllegalArgumentException("no mail template " + PREFIX + template + ".txt");
        }
        ThymeleafEvaluationContextWrapper evaluationContext = evaluation.get();
        Context context = new Context(locale, model);
        context.setVariable(ThymeleafEvaluationContext.THYMELEAF_EVALUATION_CONTEXT_CONTEXT_VARIABLE_NAME,
                evaluationContext);
        try {
            return render(template, found, context);
        } finally {
            evaluationContext.setExpressionObjects(null);
        }
    }

    private RenderedMail render(String template, Files found, Context context) {
        String text = engine.process(template + ".txt", context).replace("\r\n", "\n");
        int endOfFirstLine = text.indexOf('\n');
        String firstLine = endOfFirstLine < 0 ? text : text.substring(0, endOfFirstLine);
        if (!firstLine.startsWith(SUBJECT)) {
            throw new IllegalArgumentException("the first line of " + template + ".txt must be 'Subject: …'");
        }
        // one line, whatever a model value held: no header injection through the subject
        String subject = WHITESPACE.matcher(firstLine.substring(SUBJECT.length())).replaceAll(" ").strip();
        String body = endOfFirstLine < 0 ? ""
                : LEADING_NEWLINES.matcher(text.substring(endOfFirstLine + 1)).replaceFirst("");
        String html = found.html() ? engine.process(template + ".html", context) : null;
        return new RenderedMail(subject, body, html);
    }

    record RenderedMail(String subject, String text, String html) {
    }
}
