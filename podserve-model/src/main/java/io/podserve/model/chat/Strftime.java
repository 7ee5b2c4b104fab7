package io.podserve.model.chat;

import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.TextStyle;
import java.util.Locale;

/** Python's datetime.now().strftime(format) for the directives date-stamping templates use. */
final class Strftime {
    private Strftime() {}

    static String format(String pattern, Clock clock) {
        LocalDateTime now = LocalDateTime.now(clock);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c != '%' || i + 1 >= pattern.length()) {
                out.append(c);
                continue;
            }
            boolean unpadded = pattern.charAt(i + 1) == '-' && i + 2 < pattern.length();
            i += unpadded ? 2 : 1;
            out.append(directive(pattern.charAt(i), now, unpadded));
        }
        return out.toString();
    }

    private static String directive(char d, LocalDateTime t, boolean unpadded) {
        return switch (d) {
            case 'Y' -> String.valueOf(t.getYear());
            case 'y' -> number(t.getYear() % 100, 2, unpadded);
            case 'm' -> number(t.getMonthValue(), 2, unpadded);
            case 'd' -> number(t.getDayOfMonth(), 2, unpadded);
            case 'H' -> number(t.getHour(), 2, unpadded);
            case 'I' -> number((t.getHour() + 11) % 12 + 1, 2, unpadded);
            case 'M' -> number(t.getMinute(), 2, unpadded);
            case 'S' -> number(t.getSecond(), 2, unpadded);
            case 'j' -> number(t.getDayOfYear(), 3, unpadded);
            case 'f' -> number(t.getNano() / 1000, 6, false);
            case 'p' -> t.getHour() < 12 ? "AM" : "PM";
            case 'b' -> t.getMonth().getDisplayName(TextStyle.SHORT, Locale.US);
            case 'B' -> t.getMonth().getDisplayName(TextStyle.FULL, Locale.US);
            case 'a' -> t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.US);
            case 'A' -> t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.US);
            case '%' -> "%";
            default -> throw new TemplateRuntimeError("strftime directive %" + d + " is not supported");
        };
    }

    private static String number(int value, int width, boolean unpadded) {
        return unpadded ? String.valueOf(value) : String.format("%0" + width + "d", value);
    }
}
