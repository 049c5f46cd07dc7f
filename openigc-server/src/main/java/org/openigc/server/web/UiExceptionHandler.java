package org.openigc.server.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.servlet.ModelAndView;

/**
 * Domain exceptions that escape a page controller become the error page with the right status. Form controllers
 * normally catch {@link ValidationException} themselves and show the errors on the fields
 * ({@link FormErrors#byField}).
 */
@ControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
class UiExceptionHandler {
    private final Problems problems;

    UiExceptionHandler(Problems problems) {
        this.problems = problems;
    }

    @ExceptionHandler(ProblemException.class)
    ModelAndView problem(ProblemException problem, HttpServletRequest request, HttpServletResponse response) {
        response.setStatus(problem.status().value());
        ModelAndView page = new ModelAndView("error");
        page.setStatus(problem.status());
        page.addObject("problem", problems.body(problem.status(), problem.code(), problem.getMessage(),
                problem.args(), problem.errors(), request));
        return page;
    }

    /** A form post that is not what the page sends (no multipart body, a missing part): 400, never a 500. */
    @ExceptionHandler({org.springframework.web.multipart.MultipartException.class,
            org.springframework.web.multipart.support.MissingServletRequestPartException.class})
    ModelAndView badForm(Exception e, HttpServletRequest request, HttpServletResponse response) {
        return problem(new ValidationException(FieldError.of("file", "request.multipartRequired",
                "Send the form as multipart/form-data with its file")), request, response);
    }
}
