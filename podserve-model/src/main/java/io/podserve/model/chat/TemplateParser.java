package io.podserve.model.chat;

import io.podserve.model.chat.Node.Target;
import io.podserve.model.chat.Token.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Builds the statement tree from tokens, following jinja2's parser for the tags chat templates use. */
final class TemplateParser {
    private static final Set<String> UNSUPPORTED_TAGS = Set.of("block", "extends", "include", "import", "from",
            "call", "filter", "with", "autoescape", "print", "do", "trans");

    private final TokenStream stream;
    private final ExpressionParser expressions;
    private int loopDepth;

    private TemplateParser(List<Token> tokens) {
        this.stream = new TokenStream(tokens);
        this.expressions = new ExpressionParser(stream);
    }

    static List<Node> parse(String source) {
        TemplateParser parser = new TemplateParser(TemplateLexer.tokenize(source));
        List<Node> body = parser.body(Set.of(), null);
        if (parser.stream.current().kind() != Kind.EOF) {
            throw parser.stream.fail("unexpected " + parser.stream.current().describe());
        }
        return body;
    }

    /** Parses nodes until a block tag named in {@code endTags}, left current for the caller. */
    private List<Node> body(Set<String> endTags, String openTag) {
        List<Node> nodes = new ArrayList<>();
        while (true) {
            Token t = stream.current();
            switch (t.kind()) {
                case DATA -> nodes.add(new Node.Text(stream.next().text()));
                case VARIABLE_BEGIN -> {
                    stream.next();
                    nodes.add(new Node.Output(expressions.tuple(true, null), t.line()));
                    stream.expect(Kind.VARIABLE_END);
                }
                case BLOCK_BEGIN -> {
                    stream.next();
                    if (endTags.contains(stream.current().text()) && stream.current().kind() == Kind.NAME) {
                        return List.copyOf(nodes);
                    }
                    nodes.add(statement());
                }
                case EOF -> {
                    if (openTag != null) {
                        throw stream.fail("unexpected end of template: the '" + openTag
                                + "' block is never closed (looking for " + String.join(" or ", endTags) + ")");
                    }
                    return List.copyOf(nodes);
                }
                default -> throw stream.fail("unexpected " + t.describe());
            }
        }
    }

    private Node statement() {
        Token tag = stream.current();
        if (tag.kind() != Kind.NAME) {
            throw stream.fail("tag name expected");
        }
        stream.next();
        return switch (tag.text()) {
            case "if" -> ifStatement();
            case "for" -> forStatement(tag.line());
            case "set" -> setStatement(tag.line());
            case "macro" -> macro();
            case "break", "continue" -> loopControl(tag);
            case "generation" -> new Node.Group(closedBody("generation", "endgeneration"));
            default -> throw unknownTag(tag);
        };
    }

    private TemplateSyntaxError unknownTag(Token tag) {
        if (UNSUPPORTED_TAGS.contains(tag.text())) {
            return new TemplateSyntaxError("the '" + tag.text() + "' tag is not supported in chat templates", tag.line());
        }
        return new TemplateSyntaxError("encountered unknown tag '" + tag.text() + "'", tag.line());
    }

    /** Ends the opening tag, parses the body and consumes the closing tag. */
    private List<Node> closedBody(String openTag, String endTag) {
        stream.expect(Kind.BLOCK_END);
        List<Node> body = body(Set.of(endTag), openTag);
        stream.next();
        stream.expect(Kind.BLOCK_END);
        return body;
    }

    private Node ifStatement() {
        List<Expr> tests = new ArrayList<>();
        List<List<Node>> bodies = new ArrayList<>();
        Set<String> ends = Set.of("elif", "else", "endif");
        while (true) {
            tests.add(expressions.tuple(false, null));
            stream.expect(Kind.BLOCK_END);
            bodies.add(body(ends, "if"));
            String tag = stream.next().text();
            if (tag.equals("endif")) {
                stream.expect(Kind.BLOCK_END);
                return new Node.If(List.copyOf(tests), List.copyOf(bodies), List.of());
            }
            if (tag.equals("else")) {
                List<Node> orElse = closedBody("if", "endif");
                return new Node.If(List.copyOf(tests), List.copyOf(bodies), orElse);
            }
        }
    }

    private Node forStatement(int line) {
        Target target = target("in");
        if (!stream.skipName("in")) {
            throw stream.fail("expected 'in', got " + stream.current().describe());
        }
        Expr iterable = expressions.tuple(false, "recursive");
        Expr filter = stream.skipName("if") ? expressions.expression() : null;
        if (stream.current().isName("recursive")) {
            throw stream.fail("recursive for loops are not supported");
        }
        stream.expect(Kind.BLOCK_END);
        loopDepth++;
        List<Node> body = body(Set.of("endfor", "else"), "for");
        loopDepth--;
        List<Node> orElse = List.of();
        if (stream.next().text().equals("else")) {
            orElse = closedBody("for", "endfor");
        } else {
            stream.expect(Kind.BLOCK_END);
        }
        return new Node.For(target, iterable, filter, body, orElse, line);
    }

    private Node setStatement(int line) {
        Target target;
        if (stream.current().kind() == Kind.NAME && stream.look().isOperator(".")) {
            String namespace = stream.next().text();
            stream.next();
            target = new Target.NamespaceAttribute(namespace, stream.expect(Kind.NAME).text());
        } else {
            target = target(null);
        }
        if (stream.skipOperator("=")) {
            Expr value = expressions.tuple(true, null);
            stream.expect(Kind.BLOCK_END);
            return new Node.Set(target, value, line);
        }
        if (stream.current().isOperator("|")) {
            throw stream.fail("filtered {% set %} blocks are not supported");
        }
        return new Node.SetBlock(target, closedBody("set", "endset"), line);
    }

    /** A name or a comma-separated (optionally parenthesized) list of names. */
    private Target target(String endName) {
        List<Target> parts = new ArrayList<>();
        boolean isTuple = false;
        while (true) {
            if (!parts.isEmpty()) {
                stream.expectOperator(",");
            }
            Token t = stream.current();
            if (t.kind() == Kind.BLOCK_END || t.isOperator(")") || t.isOperator("=")
                    || (endName != null && t.isName(endName))) {
                break;
            }
            parts.add(singleTarget());
            if (!stream.current().isOperator(",")) {
                break;
            }
            isTuple = true;
        }
        if (parts.isEmpty()) {
            throw stream.fail("expected an assignment target, got " + stream.current().describe());
        }
        return isTuple ? new Target.Unpack(List.copyOf(parts)) : parts.getFirst();
    }

    private Target singleTarget() {
        if (stream.skipOperator("(")) {
            Target inner = target(null);
            stream.expectOperator(")");
            return inner;
        }
        String name = stream.expect(Kind.NAME).text();
        if (Set.of("true", "false", "none", "True", "False", "None").contains(name)) {
            throw stream.fail("can't assign to constant '" + name + "'");
        }
        return new Target.Variable(name);
    }

    private Node macro() {
        String name = stream.expect(Kind.NAME).text();
        List<String> parameters = new ArrayList<>();
        List<Expr> defaults = new ArrayList<>();
        stream.expectOperator("(");
        while (!stream.current().isOperator(")")) {
            if (!parameters.isEmpty()) {
                stream.expectOperator(",");
            }
            parameters.add(stream.expect(Kind.NAME).text());
            if (stream.skipOperator("=")) {
                defaults.add(expressions.expression());
            } else if (!defaults.isEmpty()) {
                throw stream.fail("non-default argument follows default argument");
            }
        }
        stream.expectOperator(")");
        int outerLoops = loopDepth;
        loopDepth = 0;
        List<Node> body = closedBody("macro", "endmacro");
        loopDepth = outerLoops;
        return new Node.Macro(name, List.copyOf(parameters), List.copyOf(defaults), body);
    }

    private Node loopControl(Token tag) {
        if (loopDepth == 0) {
            throw new TemplateSyntaxError("'" + tag.text() + "' outside of a for loop", tag.line());
        }
        stream.expect(Kind.BLOCK_END);
        return new Node.LoopControl(tag.text().equals("break"));
    }
}
