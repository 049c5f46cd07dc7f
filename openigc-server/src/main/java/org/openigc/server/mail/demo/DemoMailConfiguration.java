package org.openigc.server.mail.demo;

import java.util.Properties;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * Demo mode only: the embedded SMTP server, and — unless {@code spring.mail.host} names a real one — the platform's
 * mail sender pointed at it, so every mail of the demo can be read at {@code /demo/mails}.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(DemoModeCondition.class)
class DemoMailConfiguration {

    /** {@code openigc.mail.demo-smtp-port}: 0 (the default) takes a free loopback port. */
    @Bean(initMethod = "start", destroyMethod = "stop")
    DemoMailServer demoMailServer(@Value("${openigc.mail.demo-smtp-port:0}") int port) {
        return new DemoMailServer(port);
    }

    @Configuration(proxyBeanMethods = false)
    @Conditional(DemoModeCondition.WithoutMailHost.class)
    static class DemoMailSender {
        /** Named like Spring Boot's, whose auto-configuration stays off since spring.mail.host is unset. */
        @Bean
        JavaMailSenderImpl mailSender(DemoMailServer server) {
            JavaMailSenderImpl sender = new JavaMailSenderImpl();
            sender.setHost("127.0.0.1");
            sender.setPort(server.port());
            sender.setDefaultEncoding("UTF-8");
            Properties properties = sender.getJavaMailProperties();
            properties.setProperty("mail.smtp.sendpartial", "true");
            properties.setProperty("mail.smtp.connectiontimeout", "5000");
            properties.setProperty("mail.smtp.timeout", "10000");
            properties.setProperty("mail.smtp.writetimeout", "10000");
            return sender;
        }
    }
}
