package org.openigc.server.mail.demo;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity;

import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openigc.server.ServerTestSupport;
import org.openigc.server.mail.MailOutbox;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

/**
 * {@code /demo/mails} in demo mode (the test context's default). Through MockMvc with a logged-in user: whether
 * the path is public is the security configuration's rule, not this controller's.
 */
class DemoMailsIT extends ServerTestSupport {
    @Autowired
    WebApplicationContext context;
    @Autowired
    MailOutbox outbox;

    MockMvc mvc;

    @BeforeEach
    void setUp() {
        mvc = MockMvcBuilders.webAppContextSetup(context).apply(springSecurity()).build();
    }

    @Test
    void listsReceivedMailsNewestFirstAsJson() throws Exception {
        String first = queueAndAwait("<b>Première</b>");
        String second = queueAndAwait("Seconde");
        mvc.perform(MockMvcRequestBuilders.get("/demo/mails").accept(MediaType.APPLICATION_JSON).with(user("anyone")))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$[0].to[0]").value(second))
                .andExpect(jsonPath("$[0].cc[0]").value("copie-" + second))
                .andExpect(jsonPath("$[0].subject").value("[OpenIGC] Message de test Seconde"))
                .andExpect(jsonPath("$[0].date").isString())
                .andExpect(jsonPath("$[0].text").value(containsString("Bonjour Seconde,")))
                .andExpect(jsonPath("$[1].to[0]").value(first));
    }

    @Test
    void showsAFrenchPageWithTheDemoBanner() throws Exception {
        String to = queueAndAwait("<script>x()</script>");
        for (MediaType accept : List.of(MediaType.TEXT_HTML, MediaType.ALL)) {
            mvc.perform(MockMvcRequestBuilders.get("/demo/mails").accept(accept).with(user("anyone")))
                    .andExpect(status().isOk())
                    .andExpect(content().contentTypeCompatibleWith(MediaType.TEXT_HTML))
                    .andExpect(content().string(containsString("class=\"demo-banner\"")))
                    .andExpect(content().string(containsString("DÉMO")))
                    .andExpect(content().string(containsString("Courriels reçus")))
                    .andExpect(content().string(containsString("127.0.0.1:" + smtpServer().port() + ")")))
                    .andExpect(content().string(containsString(to)))
                    .andExpect(content().string(containsString("&lt;script&gt;x()&lt;/script&gt;")))
                    .andExpect(content().string(not(containsString("<script>x()"))));
        }
    }

    private String queueAndAwait(String name) {
        String to = "demo-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
        outbox.enqueue("test-message", Map.of("name", name, "reference", name), List.of(to), List.of("copie-" + to),
                null);
        awaitMailsTo(to, 1);
        return to;
    }
}
