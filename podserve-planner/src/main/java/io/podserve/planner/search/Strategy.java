package io.podserve.planner.search;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A deployment: one collocated side, or a prefill side plus a decode side (plain or MoE–attention
 * disaggregated). The text form, which {@code podserve plan --explain} and {@code --evaluate}
 * take and the ranked table prints:
 *
 * <pre>
 * strategy := side ( '+' side )*
 * side     := [ role ':' ] param+ [ 'x' COUNT ]
 * role     := 'C' collocated (default) | 'P' prefill | 'D' decode | 'AF' attention/expert-disaggregated decode
 * param    := 'tp' N | 'dp' N | 'ep' N | 'mb' N        for C, P and D
 *           | 'a' N  | 'e' N  | 'mb' N                 for AF
 * </pre>
 *
 * {@code tp} shards attention (default 1), {@code dp} is attention data-parallel ranks per
 * instance (default 1), {@code ep} spreads experts over expert-parallel groups (default 1; it
 * must divide tp·dp, each group then shards its experts tp·dp/ep ways), {@code mb} overlaps
 * micro-batches (default 1), {@code a}/{@code e} are attention and expert chips of an AF
 * instance, {@code x} the number of instances (default 1). Examples: {@code tp8},
 * {@code dp8ep8x4}, {@code P:dp32ep32mb2x3+D:dp144ep144mb2}, {@code P:tp8x2+AF:a8e16mb3x2}.
 */
public record Strategy(List<Side> sides) {
    private static final Pattern SIDE = Pattern.compile("(?:(C|P|D|AF):)?((?:(?:tp|dp|ep|mb|a|e)\\d+)+)(?:x(\\d+))?");
    private static final Pattern PARAM = Pattern.compile("(tp|dp|ep|mb|a|e)(\\d+)");

    public Strategy {
        sides = List.copyOf(sides);
        String problem = shapeProblem(sides);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    public static Strategy parse(String text) {
        List<Side> sides = new ArrayList<>();
        for (String part : text.strip().split("\\s*\\+\\s*")) {
            Matcher m = SIDE.matcher(part);
            if (!m.matches()) {
                throw new IllegalArgumentException("cannot read strategy side '" + part + "' of '" + text
                        + "'; expected e.g. tp8, dp8ep8x4, P:dp32ep32mb2x3+D:dp144ep144, P:tp8+AF:a8e16mb3");
            }
            Side.Role role = switch (m.group(1) == null ? "C" : m.group(1)) {
                case "P" -> Side.Role.PREFILL;
                case "D" -> Side.Role.DECODE;
                case "AF" -> Side.Role.ATTENTION_FFN;
                default -> Side.Role.COLLOCATED;
            };
            int tp = 1, dp = 1, ep = 1, mb = 1, a = 0, e = 0;
            Matcher pm = PARAM.matcher(m.group(2));
            while (pm.find()) {
                int v = Integer.parseInt(pm.group(2));
                switch (pm.group(1)) {
                    case "tp" -> tp = v;
                    case "dp" -> dp = v;
                    case "ep" -> ep = v;
                    case "mb" -> mb = v;
                    case "a" -> a = v;
                    default -> e = v;
                }
            }
            boolean af = role == Side.Role.ATTENTION_FFN;
            if (af != (a > 0 || e > 0) || (af && (tp != 1 || dp != 1 || ep != 1))) {
                throw new IllegalArgumentException("strategy side '" + part + "': " + (af
                        ? "an AF side takes a, e and mb only" : "a and e belong to AF sides; use tp, dp, ep, mb"));
            }
            int count = m.group(3) == null ? 1 : Integer.parseInt(m.group(3));
            sides.add(new Side(role, tp, dp, ep, a, e, mb, count));
        }
        return new Strategy(sides);
    }

    private static String shapeProblem(List<Side> sides) {
        if (sides.size() == 1 && sides.getFirst().role() == Side.Role.COLLOCATED) {
            return null;
        }
        if (sides.size() == 2 && sides.get(0).role() == Side.Role.PREFILL
                && (sides.get(1).role() == Side.Role.DECODE || sides.get(1).role() == Side.Role.ATTENTION_FFN)) {
            return null;
        }
        return "a strategy is one collocated side, or a P side followed by a D or AF side; got " + sides;
    }

    public boolean collocated() {
        return sides.size() == 1;
    }

    public Side prefill() {
        return sides.getFirst();
    }

    public Side decode() {
        return sides.getLast();
    }

    public int chips() {
        return sides.stream().mapToInt(Side::chips).sum();
    }

    /** The family for reports: collocated, pd (prefill/decode) or af (MoE/attention). */
    public String kind() {
        return collocated() ? "collocated" : decode().role() == Side.Role.ATTENTION_FFN ? "pd+af" : "pd";
    }

    @Override
    public String toString() {
        return String.join("+", sides.stream().map(Side::toString).toList());
    }
}
