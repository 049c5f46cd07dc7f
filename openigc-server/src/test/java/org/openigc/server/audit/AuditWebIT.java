package org.openigc.server.audit;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity;

import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openigc.server.ServerTestSupport;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.context.WebApplicationContext;

/**
 * The auditor's page and API, with a mocked login (card login belongs to the security feature). MockMvc is built
 * on the shared context, so this class adds no application context of its own.
 */
class AuditWebIT extends ServerTestSupport {
    @Autowired
    WebApplicationContext context;
    @Autowired
    AuditTrail trail;
    @Autowired
    AuditEvents auditEvents;
    @Autowired
    TransactionTemplate transactions;

    MockMvc mvc;
    String object;

    @BeforeEach
    void setUp() {
        mvc = MockMvcBuilders.webAppContextSetup(context).apply(springSecurity()).build();
        object = "obj-" + UUID.randomUUID();
        transactions.executeWithoutResult(status -> {
            trail.recordAs("legal-chu", "192.0.2.10", "habilitation.submitted", "habilitation", object,
                    Map.of("reference", "413-2025-000001"));
            trail.recordAs("operator", "192.0.2.11", "habilitation.approved", "habilitation", object,
                    Map.of("comment", "<script>alert(1)</script>"));
        });
    }

    @Test
    void anAuditorSeesTheFilteredTrailInFrench() throws Exception {
        mvc.perform(MockMvcRequestBuilders.get("/app/audit").param("objectId", object).with(user("auditor").roles("AUDITOR")))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith(MediaType.TEXT_HTML))
                .andExpect(content().string(containsString("Filtrer")))
                .andExpect(content().string(containsString("habilitation.approved")))
                .andExpect(content().string(containsString("413-2025-000001")))
                .andExpect(content().string(containsString("192.0.2.11")))
                // text is escaped on display
                .andExpect(content().string(containsString("&lt;script&gt;")))
                .andExpect(content().string(not(containsString("<script>alert(1)"))));
    }

    @Test
    void thePageSpeaksEnglishOnRequest() throws Exception {
        mvc.perform(MockMvcRequestBuilders.get("/app/audit").param("objectId", object).header("Accept-Language", "en")
                        .with(user("auditor").roles("AUDITOR")))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Audit trail")))
                .andExpect(content().string(containsString("habilitation.submitted")));
    }

    @Test
    void theApiFiltersAndPaginatesNewestFirst() throws Exception {
        String today = LocalDate.now(AuditQueryParameters.PARIS).toString();
        mvc.perform(MockMvcRequestBuilders.get("/api/v1/audit-events").param("objectType", "habilitation").param("objectId", object)
                        .param("from", today).param("to", today).param("size", "1")
                        .with(user("operator").roles("OPERATOR")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items.length()").value(1))
                .andExpect(jsonPath("$.items[0].action").value("habilitation.approved"))
                .andExpect(jsonPath("$.items[0].actor").value("operator"))
                .andExpect(jsonPath("$.items[0].sourceIp").value("192.0.2.11"))
                .andExpect(jsonPath("$.items[0].hash").isString())
                .andExpect(jsonPath("$.hasNext").value(true));
        mvc.perform(MockMvcRequestBuilders.get("/api/v1/audit-events").param("objectId", object).param("size", "1").param("page", "1")
                        .with(user("operator").roles("OPERATOR")))
                .andExpect(jsonPath("$.items[0].action").value("habilitation.submitted"))
                .andExpect(jsonPath("$.items[0].details.reference").value("413-2025-000001"))
                .andExpect(jsonPath("$.hasNext").value(false));
        mvc.perform(MockMvcRequestBuilders.get("/api/v1/audit-events").param("objectId", object).param("actor", "legal-chu")
                        .with(user("auditor").roles("AUDITOR")))
                .andExpect(jsonPath("$.items.length()").value(1))
                .andExpect(jsonPath("$.items[0].action").value("habilitation.submitted"));
        String yesterday = LocalDate.now(AuditQueryParameters.PARIS).minusDays(1).toString();
        mvc.perform(MockMvcRequestBuilders.get("/api/v1/audit-events").param("objectId", object).param("to", yesterday)
                        .with(user("auditor").roles("AUDITOR")))
                .andExpect(jsonPath("$.items.length()").value(0));
    }

    @Test
    void badFiltersAreProblemsNamingTheField() throws Exception {
        mvc.perform(MockMvcRequestBuilders.get("/api/v1/audit-events").param("from", "31/12/2025").param("size", "5000")
                        .with(user("auditor").roles("AUDITOR")))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors[0].field").value("from"))
                .andExpect(jsonPath("$.errors[0].code").value("date"))
                .andExpect(jsonPath("$.errors[1].field").value("size"))
                .andExpect(jsonPath("$.errors[0].message").value(containsString("AAAA-MM-JJ")));
        mvc.perform(MockMvcRequestBuilders.get("/app/audit").param("from", "demain").param("actor", "a\"b")
                        .with(user("auditor").roles("AUDITOR")))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Date invalide")))
                .andExpect(content().string(containsString("value=\"demain\" aria-invalid=\"true\"")))
                .andExpect(content().string(containsString("value=\"a&quot;b\"")))
                .andExpect(content().string(not(containsString("habilitation.approved"))));
    }

    @Test
    void otherRolesAreRefused() throws Exception {
        mvc.perform(MockMvcRequestBuilders.get("/app/audit").with(user("admin-chu").roles("ADMINISTRATOR")))
                .andExpect(status().isForbidden());
        mvc.perform(MockMvcRequestBuilders.get("/api/v1/audit-events").with(user("admin-chu").roles("ADMINISTRATOR")))
                .andExpect(status().isForbidden());
        mvc.perform(MockMvcRequestBuilders.get("/api/v1/audit-events/verification").with(user("legal-chu").roles("LEGAL_REPRESENTATIVE")))
                .andExpect(status().isForbidden());
        mvc.perform(MockMvcRequestBuilders.get("/api/v1/audit-events")).andExpect(status().is4xxClientError());
    }

    @Test
    void anAuditorCanAskForAVerification() throws Exception {
        mvc.perform(MockMvcRequestBuilders.get("/api/v1/audit-events/verification").with(user("auditor").roles("AUDITOR")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.intact").value(true))
                .andExpect(jsonPath("$.headHash").isString());
    }

    @Test
    @WithMockUser(roles = "ADMINISTRATOR")
    void theServiceItselfIsGuarded() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> auditEvents.search(AuditFilter.none(), 0, 10))
                .isInstanceOf(AccessDeniedException.class);
    }

    @Test
    @WithMockUser(roles = "AUDITOR")
    void theServiceAnswersAnAuditor() {
        org.assertj.core.api.Assertions.assertThat(auditEvents.search(
                new AuditFilter(null, null, "habilitation", object, null, null), 0, 10).items()).hasSize(2);
    }
}
