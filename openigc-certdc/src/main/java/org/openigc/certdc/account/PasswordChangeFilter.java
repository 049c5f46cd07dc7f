package org.openigc.certdc.account;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/** After a login with a one-time password, nothing but the change of password (and logout) is reachable. */
public final class PasswordChangeFilter extends OncePerRequestFilter {
    static final String CHANGE_PATH = "/certdc/account/password";
    private static final List<String> ALLOWED = List.of(CHANGE_PATH, "/certdc/logout", "/certdc/assets/", "/certdc/error");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (authentication != null && authentication.getPrincipal() instanceof CertDcUser user
                && user.mustChangePassword() && ALLOWED.stream().noneMatch(path::startsWith)) {
            if (path.startsWith("/certdc/api/")) {
                org.openigc.certdc.Problems.write(response, 403, "certdc.password.mustChange",
                        "Password change required", "Change the initial password before using CertDC.");
                return;
            }
            response.sendRedirect(request.getContextPath() + CHANGE_PATH);
            return;
        }
        chain.doFilter(request, response);
    }
}
