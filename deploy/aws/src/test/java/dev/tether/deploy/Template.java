package dev.tether.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A CloudFormation template evaluated for one set of parameter values, as CloudFormation would before it creates
 * anything: parameters take the given value or their default, conditions are decided, resources whose condition is
 * false are left out, and intrinsic functions are worked out. What is only known once deployed stays a readable
 * token: {@code Ref} to a resource is {@code {Ref:Name}}, {@code Fn::GetAtt} is {@code {GetAtt:Name.Attribute}}.
 *
 * <p>A reference to a parameter, pseudo parameter or resource that does not exist under these parameters is an
 * {@link IllegalStateException} naming it, as CloudFormation would refuse the template.
 */
final class Template {
    /** The pseudo parameters' values in tests: one region, one account. */
    static final String REGION = "us-east-1";
    static final String ACCOUNT = "123456789012";
    static final String ARN_IOT = "arn:aws:iot:" + REGION + ":" + ACCOUNT + ":";

    private static final Map<String, String> PSEUDO = Map.of(
            "AWS::Region", REGION,
            "AWS::AccountId", ACCOUNT,
            "AWS::Partition", "aws",
            "AWS::StackName", "tether-test",
            "AWS::URLSuffix", "amazonaws.com");
    private static final Object NO_VALUE = new Object() {
        @Override
        public String toString() {
            return "AWS::NoValue";
        }
    };
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!][^}]*)}");

    private final Path file;
    private final Map<String, Object> root;
    private final Map<String, Object> parameters;
    private final Map<String, Boolean> conditions = new HashMap<>();

    private Template(Path file, Map<String, Object> root, Map<String, Object> parameters) {
        this.file = file;
        this.root = root;
        this.parameters = parameters;
    }

    /**
     * The template with its parameters' defaults, overridden by the given values.
     *
     * @throws IllegalStateException if a given parameter does not exist
     */
    static Template load(Path file, Map<String, String> values) {
        Map<String, Object> root = CloudFormationYaml.read(file);
        Map<String, Object> declared = map(root.getOrDefault("Parameters", Map.of()));
        for (String name : values.keySet()) {
            if (!declared.containsKey(name)) {
                throw new IllegalStateException(file.getFileName() + " has no parameter " + name);
            }
        }
        Map<String, Object> parameters = new LinkedHashMap<>();
        declared.forEach((name, definition) -> {
            Object value = values.containsKey(name) ? values.get(name) : map(definition).get("Default");
            if (value != null) {
                String text = String.valueOf(value);
                String type = String.valueOf(map(definition).get("Type"));
                parameters.put(name, type.startsWith("List<") || type.equals("CommaDelimitedList")
                        ? List.of(text.split(",", -1)) : text);
            }
        });
        return new Template(file, root, parameters);
    }

    /** The same template with some parameters set otherwise. */
    Template with(Map<String, String> values) {
        Map<String, String> all = new HashMap<>();
        parameters.forEach((name, value) -> all.put(name, value instanceof List<?> list
                ? String.join(",", list.stream().map(String::valueOf).toList()) : String.valueOf(value)));
        all.putAll(values);
        return load(file, all);
    }

    /** The raw top-level sections, unevaluated. */
    Map<String, Object> raw() {
        return root;
    }

    /** A parameter's declaration: Type, Default, MinValue and so on. */
    Map<String, Object> parameterDeclaration(String name) {
        Object declaration = map(root.getOrDefault("Parameters", Map.of())).get(name);
        if (declaration == null) {
            throw new IllegalStateException(file.getFileName() + " has no parameter " + name);
        }
        return map(declaration);
    }

    /** A parameter's value under these parameters. */
    String parameter(String name) {
        Object value = parameters.get(name);
        if (value == null) {
            throw new IllegalStateException("parameter " + name + " has no value and no default");
        }
        return String.valueOf(value);
    }

    /** The resources these parameters create, by logical id, in template order. */
    Map<String, Resource> resources() {
        Map<String, Resource> active = new LinkedHashMap<>();
        map(root.get("Resources")).forEach((name, definition) -> {
            Map<String, Object> resource = map(definition);
            Object condition = resource.get("Condition");
            if (condition == null || condition(String.valueOf(condition))) {
                active.put(name, new Resource(name, String.valueOf(resource.get("Type")),
                        map(resource.getOrDefault("Properties", Map.of()))));
            }
        });
        return active;
    }

    /** The resources of one type these parameters create. */
    List<Resource> resourcesOfType(String type) {
        return resources().values().stream().filter(resource -> resource.type().equals(type)).toList();
    }

    /** One resource these parameters create; fails when they leave it out. */
    Resource resource(String name) {
        Resource resource = resources().get(name);
        if (resource == null) {
            throw new IllegalStateException(name + " is not a resource these parameters create");
        }
        return resource;
    }

    /** Whether these parameters create the resource. */
    boolean creates(String name) {
        return resources().containsKey(name);
    }

    /** The outputs these parameters give, evaluated. */
    Map<String, Object> outputs() {
        Map<String, Object> outputs = new LinkedHashMap<>();
        map(root.getOrDefault("Outputs", Map.of())).forEach((name, definition) -> {
            Map<String, Object> output = map(definition);
            Object condition = output.get("Condition");
            if (condition == null || condition(String.valueOf(condition))) {
                outputs.put(name, resolve(output.get("Value")));
            }
        });
        return outputs;
    }

    /** A condition's value under these parameters. */
    boolean condition(String name) {
        Boolean known = conditions.get(name);
        if (known != null) {
            return known;
        }
        Object definition = map(root.getOrDefault("Conditions", Map.of())).get(name);
        if (definition == null) {
            throw new IllegalStateException("no condition " + name);
        }
        boolean value = (Boolean) resolve(definition);
        conditions.put(name, value);
        return value;
    }

    /** Works out every intrinsic function in a value; {@code AWS::NoValue} leaves its entry out. */
    Object resolve(Object value) {
        if (value instanceof Map<?, ?> raw) {
            if (raw.size() == 1) {
                String key = String.valueOf(raw.keySet().iterator().next());
                if (key.equals("Ref") || key.equals("Condition") || key.startsWith("Fn::")) {
                    return function(key, raw.values().iterator().next());
                }
            }
            Map<String, Object> resolved = new LinkedHashMap<>();
            raw.forEach((key, entry) -> {
                Object result = resolve(entry);
                if (result != NO_VALUE) {
                    resolved.put(String.valueOf(key), result);
                }
            });
            return resolved;
        }
        if (value instanceof List<?> raw) {
            List<Object> resolved = new ArrayList<>();
            for (Object entry : raw) {
                Object result = resolve(entry);
                if (result != NO_VALUE) {
                    resolved.add(result);
                }
            }
            return resolved;
        }
        return value;
    }

    private Object function(String name, Object argument) {
        switch (name) {
            case "Ref":
                return ref(String.valueOf(argument));
            case "Condition":
                return condition(String.valueOf(argument));
            case "Fn::GetAtt": {
                List<?> parts = (List<?>) argument;
                return getAtt(String.valueOf(parts.get(0)), String.valueOf(parts.get(1)));
            }
            case "Fn::Sub":
                return sub(argument);
            case "Fn::If": {
                List<?> parts = (List<?>) argument;
                return resolve(condition(String.valueOf(parts.get(0))) ? parts.get(1) : parts.get(2));
            }
            case "Fn::Equals": {
                List<?> parts = (List<?>) argument;
                return String.valueOf(resolve(parts.get(0))).equals(String.valueOf(resolve(parts.get(1))));
            }
            case "Fn::Not":
                return !(Boolean) resolve(((List<?>) argument).get(0));
            case "Fn::And":
                return ((List<?>) argument).stream().allMatch(part -> (Boolean) resolve(part));
            case "Fn::Or":
                return ((List<?>) argument).stream().anyMatch(part -> (Boolean) resolve(part));
            case "Fn::Split": {
                List<?> parts = (List<?>) argument;
                return List.of(String.valueOf(resolve(parts.get(1))).split(Pattern.quote(String.valueOf(
                        parts.get(0))), -1));
            }
            case "Fn::Join": {
                List<?> parts = (List<?>) argument;
                return String.join(String.valueOf(parts.get(0)), ((List<?>) resolve(parts.get(1))).stream()
                        .map(String::valueOf).toList());
            }
            case "Fn::Select": {
                List<?> parts = (List<?>) argument;
                return ((List<?>) resolve(parts.get(1))).get(Integer.parseInt(String.valueOf(resolve(parts.get(0)))));
            }
            default:
                throw new UnsupportedOperationException(name + " is not evaluated by these tests");
        }
    }

    private Object ref(String name) {
        if (name.equals("AWS::NoValue")) {
            return NO_VALUE;
        }
        if (PSEUDO.containsKey(name)) {
            return PSEUDO.get(name);
        }
        if (map(root.getOrDefault("Parameters", Map.of())).containsKey(name)) {
            Object value = parameters.get(name);
            if (value == null) {
                throw new IllegalStateException("parameter " + name + " has no value and no default");
            }
            return value;
        }
        // AWS SAM's reference to the alias AutoPublishAlias makes (AWS SAM developer guide, AutoPublishAlias).
        if (name.endsWith(".Alias")) {
            Resource function = resource(name.substring(0, name.length() - ".Alias".length()));
            if (!function.type().equals("AWS::Serverless::Function")
                    || function.properties().get("AutoPublishAlias") == null) {
                throw new IllegalStateException(name + " refers to a function without AutoPublishAlias");
            }
            return "{Ref:" + name + "}";
        }
        requireResource(name);
        return "{Ref:" + name + "}";
    }

    private String getAtt(String resource, String attribute) {
        requireResource(resource);
        return "{GetAtt:" + resource + "." + attribute + "}";
    }

    private Object sub(Object argument) {
        String text;
        Map<String, Object> variables = new HashMap<>();
        if (argument instanceof List<?> parts) {
            text = String.valueOf(parts.get(0));
            map(parts.get(1)).forEach((key, value) -> variables.put(key, resolve(value)));
        } else {
            text = String.valueOf(argument);
        }
        Matcher matcher = SUB_VARIABLE.matcher(text);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String variable = matcher.group(1);
            Object value;
            if (variables.containsKey(variable)) {
                value = variables.get(variable);
            } else if (variable.contains(".") && !variable.startsWith("AWS::")) {
                value = getAtt(variable.substring(0, variable.indexOf('.')),
                        variable.substring(variable.indexOf('.') + 1));
            } else {
                value = ref(variable);
            }
            matcher.appendReplacement(result, Matcher.quoteReplacement(String.valueOf(value)));
        }
        matcher.appendTail(result);
        return result.toString();
    }

    private void requireResource(String name) {
        Object definition = map(root.get("Resources")).get(name);
        if (definition == null) {
            throw new IllegalStateException(file.getFileName() + " refers to " + name
                    + ", which is neither a parameter nor a resource");
        }
        Object condition = map(definition).get("Condition");
        if (condition != null && !condition(String.valueOf(condition))) {
            throw new IllegalStateException(file.getFileName() + " refers to " + name
                    + ", which these parameters leave out");
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        if (!(value instanceof Map)) {
            throw new IllegalStateException("expected a mapping, found " + value);
        }
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        if (value instanceof List) {
            return (List<Object>) value;
        }
        return value == null ? List.of() : List.of(value);
    }

    /**
     * One resource, its properties unevaluated; {@link #property(String...)} evaluates.
     *
     * @param name the logical id
     * @param type such as {@code AWS::IAM::Role}
     * @param properties the raw properties
     */
    record Resource(String name, String type, Map<String, Object> properties) {
        Resource {
            Objects.requireNonNull(name, "name");
        }
    }

    /** A resource's property at a path of keys, evaluated; null when absent. */
    Object property(Resource resource, String... path) {
        Object value = resolve(resource.properties());
        for (String key : path) {
            if (!(value instanceof Map<?, ?> entries)) {
                return null;
            }
            value = entries.get(key);
        }
        return value;
    }

    /** A resource's property as text; fails when absent. */
    String text(Resource resource, String... path) {
        Object value = property(resource, path);
        if (value == null) {
            throw new AssertionError(resource.name() + " has no " + String.join(".", path));
        }
        return String.valueOf(value);
    }
}
