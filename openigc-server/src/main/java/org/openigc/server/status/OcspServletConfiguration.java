package org.openigc.server.status;

import java.time.Clock;

import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class OcspServletConfiguration {
    @Bean
    ServletRegistrationBean<OcspServlet> ocspServlet(OcspResponder responder, Clock clock) {
        ServletRegistrationBean<OcspServlet> registration =
                new ServletRegistrationBean<>(new OcspServlet(responder, clock), "/ocsp", "/ocsp/*");
        registration.setName("ocsp");
        registration.setLoadOnStartup(1);
        return registration;
    }
}
