package org.openigc.server.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.openigc.server.ServerTestSupport;

/**
 * Found by the load run (issue 11 §5): every card-authenticated API call created an HTTP session (Spring's
 * SessionManagementFilter saved its security context), so the heap grew with the request rate for the 30 minutes
 * of the session timeout. API calls stay stateless; a browser's card login still opens a session.
 */
class StatelessApiSessionIT extends ServerTestSupport {

    @Test
    void apiCallsWithACardCreateNoSession() {
        HttpClient card = personaClient("admin-chu");
        for (String path : List.of("/api/v1/me", "/api/v1/certificates?structure=1750712184&size=5")) {
            HttpResponse<String> response = getString(card, https(path));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.headers().allValues("Set-Cookie")).as("cookies set by GET %s", path)
                    .noneMatch(cookie -> cookie.startsWith("JSESSIONID="));
        }
    }

    @Test
    void aBrowserCardLoginStillOpensASession() {
        HttpResponse<String> response = getString(personaClient("admin-chu"), https("/app"));
        assertThat(response.headers().allValues("Set-Cookie")).anyMatch(cookie -> cookie.startsWith("JSESSIONID="));
    }
}
