package dev.agentmemory.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code memory.*} properties as {@link MemoryConfig} declares them, each with its {@code @WithDefault} (empty
 * when it has none), read from the declaration itself. What is published about them elsewhere (the limits in the
 * OpenAPI document, generated at build time; the table in {@code docs/configuration.md}, checked by a test) follows
 * the declaration rather than a copy of it.
 */
public final class ConfigDefaults {

    private ConfigDefaults() {}

    /** Every property, by full name ({@code memory.session.ttl}), in name order. */
    public static Map<String, Optional<String>> all() {
        Map<String, Optional<String>> properties = new LinkedHashMap<>();
        collect(
                MemoryConfig.class,
                MemoryConfig.class.getAnnotation(ConfigMapping.class).prefix() + ".",
                properties);
        return properties;
    }

    /** The default of one property; fails for a property that is not declared or has no default. */
    public static String of(String property) {
        Optional<String> value = all().get(property);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(property + " is not a memory.* property with a default");
        }
        return value.get();
    }

    private static void collect(Class<?> group, String prefix, Map<String, Optional<String>> properties) {
        Arrays.stream(group.getDeclaredMethods())
                .filter(method -> !method.isDefault() && !Modifier.isStatic(method.getModifiers()))
                .sorted(Comparator.comparing(Method::getName))
                .forEach(method -> {
                    String name = prefix + name(method);
                    Class<?> type = method.getReturnType();
                    if (type.isInterface() && type.getEnclosingClass() != null && isGroup(type)) {
                        collect(type, name + ".", properties);
                    } else {
                        WithDefault value = method.getAnnotation(WithDefault.class);
                        properties.put(name, Optional.ofNullable(value).map(WithDefault::value));
                    }
                });
    }

    /** A nested interface of the mapping is a group of properties (a collection or Optional is a value). */
    private static boolean isGroup(Class<?> type) {
        for (Class<?> enclosing = type.getEnclosingClass();
                enclosing != null;
                enclosing = enclosing.getEnclosingClass()) {
            if (enclosing == MemoryConfig.class) {
                return true;
            }
        }
        return false;
    }

    /** The property name of a method: its {@code @WithName}, else its name in kebab case ({@code maxTextChars}). */
    private static String name(Method method) {
        WithName named = method.getAnnotation(WithName.class);
        return named != null
                ? named.value()
                : method.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}
