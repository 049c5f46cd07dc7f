package org.openigc.server.mail.demo;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

import org.springframework.context.annotation.Conditional;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * {@code /demo/mails}: what the demo SMTP server received, newest first — a page for people, JSON for scripts and
 * acceptance checks ({@code Accept: application/json}). Absent (404) outside demo mode.
 */
@Controller
@Conditional(DemoModeCondition.class)
class DemoMailController {
    private static final DateTimeFormatter DISPLAY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.of("Europe/Paris"));

    private final DemoMailServer server;

    DemoMailController(DemoMailServer server) {
        this.server = server;
    }

    @GetMapping(value = "/demo/mails", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseBody
    List<MailJson> json() {
        return server.received().stream()
                .map(mail -> new MailJson(mail.to(), mail.cc(), mail.subject(), mail.date(), mail.text()))
                .toList();
    }

    /** The default for browsers and any other Accept. */
    @GetMapping("/demo/mails")
    String page(Model model) {
        model.addAttribute("mails", server.received().stream()
                .map(mail -> new MailRow(DISPLAY.format(mail.date()), mail.from(), String.join(", ", mail.to()),
                        String.join(", ", mail.cc()), mail.subject(), mail.text()))
                .toList());
        // a string: MessageFormat would group the digits of a number ("44 619")
        model.addAttribute("smtpPort", String.valueOf(server.port()));
        return "mail-demo/mails";
    }

    /** The JSON shape the acceptance checks rely on (SPEC §6). */
    record MailJson(List<String> to, List<String> cc, String subject, Instant date, String text) {
    }

    record MailRow(String date, String from, String to, String cc, String subject, String text) {
    }
}
