package org.openigc.certdc.account;

import java.time.Duration;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.openigc.certdc.CertDcAudit;
import org.openigc.certdc.Problems;
import org.openigc.certdc.trust.ClientCertificateVerifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * CertDC's own security, independent of the platform's: two filter chains that take precedence over the
 * platform's for {@code /certdc/**}.
 * <ul>
 * <li>{@code /certdc/ws/**} — the SIs' web service: stateless, no CSRF, authenticated only by the TLS client
 * certificate (ORG AUTH_CLI of OpenIGC, status checked by OCSP).</li>
 * <li>everything else under {@code /certdc} — public pages, CertDC accounts (form login at {@code /certdc/login},
 * lockout, forced change of a one-time password), card login for doctors and administrators, its own session and
 * CSRF protection; the doctors' JSON API answers problem+json instead of redirecting.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
public class CertDcSecurityConfiguration {
    static final String REMEMBER_LOGIN_COOKIE = "CERTDC_LOGIN";
    /** CertDC's login lives under its own session attributes: it never authenticates anyone to the platform. */
    static final String CONTEXT_ATTRIBUTE = "CERTDC_SECURITY_CONTEXT";
    static final String CSRF_ATTRIBUTE = "CERTDC_CSRF_TOKEN";
    static final String SAVED_REQUEST_ATTRIBUTE = "CERTDC_SAVED_REQUEST";
    private static final String CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    @Bean
    @Order(0)
    SecurityFilterChain certDcWebServiceSecurity(HttpSecurity http, ClientCertificateVerifier verifier,
                                                 CertDcAudit audit) throws Exception {
        http.securityMatcher("/certdc/ws/**")
                .csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .addFilterBefore(new SiCertificateFilter(verifier, audit), AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(requests -> requests.anyRequest().hasAuthority(SiCertificateFilter.ROLE))
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint((request, response, e) -> Problems.write(response, 401,
                                "certificate.missing", "Client certificate required", null))
                        .accessDeniedHandler((request, response, e) -> Problems.write(response, 403,
                                "certdc.forbidden", "Forbidden", null)))
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives("default-src 'none'")));
        return http.build();
    }

    @Bean
    @Order(1)
    SecurityFilterChain certDcSecurity(HttpSecurity http, AccountService accounts, CardAuthentication cards)
            throws Exception {
        RequestMatcher api = PathPatternRequestMatcher.withDefaults().matcher("/certdc/api/**");
        AuthenticationEntryPoint apiEntryPoint = (request, response, e) -> Problems.write(response, 401,
                "certdc.unauthenticated", "Login required", "Log in with your card or your CertDC account.");
        AccessDeniedHandler apiDenied = (request, response, e) -> Problems.write(response, 403, "certdc.forbidden",
                "Forbidden", "Reserved to declaring doctors.");
        HttpSessionCsrfTokenRepository csrfTokens = new HttpSessionCsrfTokenRepository();
        csrfTokens.setSessionAttributeName(CSRF_ATTRIBUTE);
        HttpSessionRequestCache requestCache = new HttpSessionRequestCache();
        requestCache.setSessionAttrName(SAVED_REQUEST_ATTRIBUTE);
        http.securityMatcher("/certdc/**")
                .securityContext(context -> context.securityContextRepository(contextRepository()))
                .csrf(csrf -> csrf.csrfTokenRepository(csrfTokens))
                .requestCache(cache -> cache.requestCache(requestCache))
                .authenticationManager(new ProviderManager(new AccountAuthenticationProvider(accounts)))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/certdc", "/certdc/", "/certdc/connexion", "/certdc/connexion/**", "/certdc/captcha.png",
                                "/certdc/login", "/certdc/login/card", "/certdc/password/forgot",
                                "/certdc/password/reset", "/certdc/unlock", "/certdc/assets/**", "/certdc/error")
                        .permitAll()
                        .requestMatchers("/certdc/admin/**").hasRole(AccountKind.ADMIN.role())
                        .requestMatchers("/certdc/si/**").hasRole(AccountKind.SI_MANAGER.role())
                        .requestMatchers("/certdc/doctor/**", "/certdc/api/**").hasRole(AccountKind.DOCTOR.role())
                        .anyRequest().authenticated())
                .formLogin(form -> form.loginPage("/certdc/login").loginProcessingUrl("/certdc/login")
                        .usernameParameter("login").passwordParameter("password")
                        .successHandler(CertDcSecurityConfiguration::loggedIn)
                        .failureHandler(CertDcSecurityConfiguration::loginFailed))
                .logout(logout -> logout.logoutUrl("/certdc/logout").logoutSuccessUrl("/certdc/login?logout")
                        .invalidateHttpSession(false))
                .addFilterBefore(new CardApiFilter(cards), AnonymousAuthenticationFilter.class)
                .addFilterBefore(new PasswordChangeFilter(), AuthorizationFilter.class)
                .sessionManagement(sessions -> sessions.sessionFixation(fixation -> fixation.changeSessionId()))
                .exceptionHandling(errors -> errors
                        .defaultAuthenticationEntryPointFor(apiEntryPoint, api)
                        .defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint("/certdc/login"),
                                AnyRequestMatcher.INSTANCE)
                        .defaultAccessDeniedHandlerFor(apiDenied, api))
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(CSP))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER)));
        return http.build();
    }

    /**
     * The session store of CertDC's security context, under its own attribute: the platform and CertDC may share
     * the servlet session, never a login.
     */
    public static SecurityContextRepository contextRepository() {
        HttpSessionSecurityContextRepository repository = new HttpSessionSecurityContextRepository();
        repository.setSpringSecurityContextKey(CONTEXT_ATTRIBUTE);
        return repository;
    }

    /** Where each kind of account lands after login; a one-time password must be changed first. */
    static String homeOf(CertDcUser user) {
        if (user.mustChangePassword()) {
            return PasswordChangeFilter.CHANGE_PATH;
        }
        return switch (user.kind()) {
            case ADMIN -> "/certdc/admin";
            case SI_MANAGER -> "/certdc/si";
            case DOCTOR -> "/certdc/doctor";
        };
    }

    private static void loggedIn(HttpServletRequest request, HttpServletResponse response, Authentication authentication)
            throws java.io.IOException {
        CertDcUser user = (CertDcUser) authentication.getPrincipal();
        Cookie remember = new Cookie(REMEMBER_LOGIN_COOKIE, request.getParameter("remember") != null ? user.login() : "");
        remember.setPath(request.getContextPath() + "/certdc");
        remember.setHttpOnly(true);
        remember.setSecure(true);
        remember.setMaxAge(request.getParameter("remember") != null ? (int) Duration.ofDays(30).toSeconds() : 0);
        remember.setAttribute("SameSite", "Lax");
        response.addCookie(remember);
        response.sendRedirect(request.getContextPath() + homeOf(user));
    }

    private static void loginFailed(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws java.io.IOException {
        String code = e instanceof LockedException ? "locked"
                : e instanceof AccountService.TooManyAttemptsException ? "rate" : "bad";
        response.sendRedirect(request.getContextPath() + "/certdc/login?error=" + code);
    }

    /** Checks identifier and password with {@link AccountService} (lockout, rate limits, audit). */
    static final class AccountAuthenticationProvider implements AuthenticationProvider {
        private final AccountService accounts;

        AccountAuthenticationProvider(AccountService accounts) {
            this.accounts = accounts;
        }

        @Override
        public Authentication authenticate(Authentication authentication) {
            String address = authentication.getDetails() instanceof WebAuthenticationDetails details
                    ? details.getRemoteAddress() : "unknown";
            CertDcUser user = accounts.authenticate(authentication.getName(),
                    authentication.getCredentials() == null ? null : authentication.getCredentials().toString(),
                    address);
            return UsernamePasswordAuthenticationToken.authenticated(user, null, user.authorities());
        }

        @Override
        public boolean supports(Class<?> authentication) {
            return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
        }
    }
}
