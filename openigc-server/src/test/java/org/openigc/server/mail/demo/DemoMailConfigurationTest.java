package org.openigc.server.mail.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.mail.autoconfigure.MailSenderAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/** When the demo SMTP server runs and where the mail sender points, without booting the platform. */
class DemoMailConfigurationTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(DemoMailConfiguration.class, DemoMailController.class)
            .withConfiguration(AutoConfigurations.of(MailSenderAutoConfiguration.class));

    @Test
    void withTheEmbeddedDatabaseTheMailSenderPointsAtTheDemoServer() {
        runner.run(context -> {
            DemoMailServer server = context.getBean(DemoMailServer.class);
            JavaMailSenderImpl sender = (JavaMailSenderImpl) context.getBean(JavaMailSender.class);
            assertThat(sender.getHost()).isEqualTo("127.0.0.1");
            assertThat(sender.getPort()).isEqualTo(server.port());
            assertThat(context).hasSingleBean(DemoMailController.class);

            SimpleMailMessage message = new SimpleMailMessage();
            message.setFrom("no-reply@openigc.localhost");
            message.setTo("someone@example.org");
            message.setSubject("Essai");
            message.setText("Corps du message");
            sender.send(message);
            assertThat(server.received()).singleElement().satisfies(mail -> {
                assertThat(mail.to()).containsExactly("someone@example.org");
                assertThat(mail.subject()).isEqualTo("Essai");
                assertThat(mail.text()).contains("Corps du message");
            });
        });
    }

    @Test
    void anExplicitSmtpHostWins() {
        runner.withPropertyValues("spring.mail.host=smtp.example.org", "spring.mail.port=2525").run(context -> {
            JavaMailSenderImpl sender = (JavaMailSenderImpl) context.getBean(JavaMailSender.class);
            assertThat(sender.getHost()).isEqualTo("smtp.example.org");
            assertThat(sender.getPort()).isEqualTo(2525);
            assertThat(context).hasSingleBean(DemoMailServer.class);
        });
    }

    @Test
    void outsideDemoModeThereIsNoDemoServerNorPage() {
        runner.withPropertyValues("openigc.demo=false").run(context -> {
            assertThat(context).doesNotHaveBean(DemoMailServer.class);
            assertThat(context).doesNotHaveBean(DemoMailController.class);
            assertThat(context).doesNotHaveBean(JavaMailSender.class);
        });
        runner.withPropertyValues("spring.datasource.url=jdbc:postgresql://db.example.org/openigc").run(context -> {
            assertThat(context).doesNotHaveBean(DemoMailServer.class);
            assertThat(context).doesNotHaveBean(DemoMailController.class);
        });
    }

    @Test
    void demoModeCanBeForcedOnWithAnExternalDatabase() {
        assertThat(DemoModeCondition.enabled("true", "jdbc:postgresql://db/openigc")).isTrue();
        assertThat(DemoModeCondition.enabled(null, "jdbc:postgresql://db/openigc")).isFalse();
        assertThat(DemoModeCondition.enabled(null, null)).isTrue();
        assertThat(DemoModeCondition.enabled(" ", "")).isTrue();
    }
}
