package dev.agentmemory.web;

import dev.agentmemory.problem.Problem;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Adds the 400 answer to every operation of the OpenAPI document: each one takes an id in its path, and most a
 * body or a query, that can be invalid. Applied when the document is generated at build time (the
 * {@code smallrye-open-api-maven-plugin} in the POM); the service does not use it at runtime.
 */
public class OpenApiBadInput implements OASFilter {

    static final String BAD_INPUT = "Bad input: a problem document naming the field";

    @Override
    public Operation filterOperation(Operation operation) {
        APIResponses responses = operation.getResponses();
        if (responses != null && !responses.hasAPIResponse("400")) {
            responses.addAPIResponse(
                    "400",
                    OASFactory.createAPIResponse()
                            .description(BAD_INPUT)
                            .content(OASFactory.createContent()
                                    .addMediaType(Problem.MEDIA_TYPE, OASFactory.createMediaType())));
        }
        return operation;
    }
}
