package org.openigc.server.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.context.support.ResourceBundleMessageSource;

/**
 * One renderer renders many mails in a row (the evaluation context is built once per render, the template files are
 * looked up once): each mail must still read its own model and locale.
 */
class MailRendererTest {
    private final MailRenderer renderer = new MailRenderer(messages());

    private static ResourceBundleMessageSource messages() {
        ResourceBundleMessageSource messages = new ResourceBundleMessageSource();
        messages.setBasenames("messages-mail", "messages-habilitation");
        messages.setDefaultEncoding("UTF-8");
        messages.setFallbackToSystemLocale(false);
        return messages;
    }

    private static Map<String, Object> issued(boolean renewal, String service) {
        Map<String, Object> model = new HashMap<>();
        model.put("renewal", renewal);
        model.put("serviceApplicatif", service);
        model.put("structure", "CHU de Test");
        model.put("idNatStruct", "1750000001");
        model.put("environment", "PROD");
        model.put("offer", "ORG");
        model.put("usage", "SSL_SERVEUR");
        model.put("serialNumber", "0A1B");
        model.put("notAfterText", "31/12/2027");
        return model;
    }

    @Test
    void consecutiveRendersEachReadTheirOwnModel() {
        MailRenderer.RenderedMail renewed = renderer.render("certificate-issued", issued(true, "a.example.fr"), Locale.FRENCH);
        MailRenderer.RenderedMail first = renderer.render("certificate-issued", issued(false, "b.example.fr"), Locale.FRENCH);
        MailRenderer.RenderedMail again = renderer.render("certificate-issued", issued(false, "b.example.fr"), Locale.FRENCH);

        assertThat(renewed.subject()).isEqualTo("Certificat renouvelé : a.example.fr (PROD)");
        assertThat(renewed.text()).startsWith("Bonjour,\n\nLe certificat suivant a été renouvelé par OpenIGC :\n")
                .contains("  Service applicatif : a.example.fr\n", "  Structure          : CHU de Test (1750000001)\n",
                        "  Fin de validité    : 31/12/2027\n");
        assertThat(first.subject()).isEqualTo("Certificat émis : b.example.fr (PROD)");
        assertThat(first.text()).contains("Le certificat suivant a été émis par OpenIGC :", "b.example.fr")
                .doesNotContain("a.example.fr", "renouvelé");
        assertThat(first.html()).isNull();
        assertThat(again).isEqualTo(first);
    }

    @Test
    void messagesLocaleAndExpressionObjectsFollowEachRender() {
        Map<String, Object> model = Map.of("reference", "H-42", "structureName", "CHU de Test",
                "structureId", "1750000001", "offers", List.of("ORG", "PRO"), "administrators", List.of("a@chu.fr"),
                "link", "https://openigc.example/h/42");

        MailRenderer.RenderedMail french = renderer.render("habilitation-approved", model, Locale.FRENCH);
        MailRenderer.RenderedMail english = renderer.render("habilitation-approved", model, Locale.ENGLISH);

        assertThat(french.subject()).isEqualTo("[OpenIGC] Formulaire 413 approuvé — dossier H-42");
        assertThat(english.subject()).isEqualTo("[OpenIGC] Form 413 approved — dossier H-42");
        assertThat(french.text()).contains("Offres : ORG, PRO\n", "  - a@chu.fr\n", "L’équipe OpenIGC");
        assertThat(english.text()).contains("Offers: ORG, PRO\n", "The OpenIGC team");
        assertThat(french.html()).contains("<html lang=\"fr\">", "<span>ORG, PRO</span>", "<li>a@chu.fr</li>");
        assertThat(english.html()).contains("<html lang=\"en\">", "<span>Offers:</span>");
    }

    @Test
    void unknownTemplateIsRefusedEveryTime() {
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> renderer.render("no-such-mail", Map.of(), Locale.FRENCH))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("no mail template templates/mail/no-such-mail.txt");
        }
    }
}
