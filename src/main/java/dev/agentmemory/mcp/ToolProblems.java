package dev.agentmemory.mcp;

import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * The tools of the annotated class answer every failure as an MCP tool error holding the problem document the REST
 * API would answer (see {@link ToolProblemsInterceptor}).
 */
@InterceptorBinding
@Retention(RUNTIME)
@Target({TYPE, METHOD})
public @interface ToolProblems {}
