package org.openigc.certdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.context.Context;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/** The French and English bundles match, every key the templates name exists, every mail template renders. */
class ResourcesTest {

    private static Properties bundle(String name) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = ResourcesTest.class.getResourceAsStream("/" + name)) {
            properties.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return properties;
    }

    @Test
    void bothLanguagesHaveTheSameKeysAndTheTemplatesUseNoMissingOne() throws IOException {
        Properties french = bundle("messages-certdc.properties");
        Properties english = bundle("messages-certdc_en.properties");
        assertThat(english.stringPropertyNames()).isEqualTo(french.stringPropertyNames());
        Pattern key = Pattern.compile("#\\{(certdc\\.[A-Za-z0-9_.]+[A-Za-z0-9_])");
        try (Stream<Path> templates = Files.list(Path.of("src/main/resources/templates/certdc"))) {
            templates.forEach(template -> {
                try {
                    Matcher matcher = key.matcher(Files.readString(template));
                    while (matcher.find()) {
                        assertThat(french).as(template.getFileName() + " names " + matcher.group(1))
                                .containsKey(matcher.group(1));
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
    }

    @Test
    void everyMailTemplateRendersWithASubjectLine() throws IOException {
        ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver();
        resolver.setPrefix("templates/mail/");
        resolver.setSuffix(".txt");
        resolver.setTemplateMode(TemplateMode.TEXT);
        resolver.setCharacterEncoding("UTF-8");
        SpringTemplateEngine engine = new SpringTemplateEngine();
        engine.setTemplateResolver(resolver);
        Map<String, Object> model = new HashMap<>();
        for (String name : Set.of("reference", "siName", "login", "password", "loginUrl", "kitUrl", "adminUrl",
                "spaceUrl", "sandboxUrl", "productionUrl", "reason", "resetUrl", "unlockUrl", "expires", "failures",
                "when", "fingerprint", "notAfter", "downloadUrl", "mode")) {
            model.put(name, "«" + name + "»");
        }
        try (Stream<Path> mails = Files.list(Path.of("src/main/resources/templates/mail"))) {
            for (Path mail : mails.filter(m -> m.getFileName().toString().startsWith("certdc-")).toList()) {
                String name = mail.getFileName().toString().replace(".txt", "");
                assertThat(name).as("the outbox's rule for names").matches("[a-z0-9][a-z0-9-]{0,80}");
                String text = engine.process(name, new Context(java.util.Locale.FRENCH, model));
                assertThat(text).as(name).startsWith("Subject: CertDC").doesNotContain("${").doesNotContain("[(");
                Matcher used = Pattern.compile("\\$\\{(\\w+)").matcher(Files.readString(mail));
                while (used.find()) {
                    assertThat(text).as(name + " shows " + used.group(1)).contains("«" + used.group(1) + "»");
                }
            }
        }
    }
}
