package dev.agentmemory.longterm;

import dev.agentmemory.validation.ConfiguredLimit;
import dev.agentmemory.validation.ValidKind;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import jakarta.validation.constraints.Pattern;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Body of {@code PATCH …/memories/{id}}: the fields to change; at least one. */
@UpdateRequest.ChangesSomething
public record UpdateRequest(
        @Pattern(regexp = "(?s).*\\S.*", message = "must not be blank")
                @ConfiguredLimit("memory.long-term.max-text-chars")
                String text,
        @ValidKind String kind) {

    /** The body as a whole (reported as {@code body}) must set text or kind. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @Constraint(validatedBy = ChangesSomethingValidator.class)
    public @interface ChangesSomething {

        String message() default "must set text or kind";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};
    }

    public static class ChangesSomethingValidator implements ConstraintValidator<ChangesSomething, UpdateRequest> {

        @Override
        public boolean isValid(UpdateRequest request, ConstraintValidatorContext context) {
            return request == null || request.text() != null || request.kind() != null;
        }
    }
}
