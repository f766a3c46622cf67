package dev.agentmemory.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.agentmemory.problem.Problem;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Framework-level HTTP errors (unknown path, wrong method or media type) as problem+json with their status. */
public class HttpProblemMapper {

    @ServerExceptionMapper
    public Response map(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return JsonProblemMapper.problem(json).toResponse();
        }
        Response original = e.getResponse();
        Response.StatusType status = original.getStatusInfo();
        String kind = status.getReasonPhrase().toLowerCase(Locale.ROOT).replace(' ', '-');
        Response.ResponseBuilder response =
                Response.fromResponse(Problem.of(status, kind, e.getMessage()).toResponse());
        // Keep what the framework said besides the body, such as Allow on a 405.
        original.getHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase(HttpHeaders.CONTENT_TYPE)
                    && !name.equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH)) {
                values.forEach(value -> response.header(name, value));
            }
        });
        return response.build();
    }
}
