using System.Globalization;

namespace Kratix.Pipelines;

/// <summary>
/// Go's time.ParseDuration: a sequence of decimal numbers with units ns, us (µs), ms, s, m, h, e.g. "1h30m", "-1.5s";
/// no surrounding spaces, and no more than Go's int64 nanoseconds hold.
/// </summary>
public static class GoDuration
{
    private static readonly (string Unit, double Ticks)[] Units =
    [
        ("ns", 0.01), ("us", 10), ("µs", 10), ("μs", 10), ("ms", TimeSpan.TicksPerMillisecond),
        ("s", TimeSpan.TicksPerSecond), ("m", TimeSpan.TicksPerMinute), ("h", TimeSpan.TicksPerHour),
    ];

    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var s = text;
        var sign = 1;
        if (s.StartsWith('-') || s.StartsWith('+'))
        {
            sign = s[0] == '-' ? -1 : 1;
            s = s[1..];
        }

        if (s == "0")
        {
            return true;
        }

        if (s.Length == 0)
        {
            return false;
        }

        double ticks = 0;
        var i = 0;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
            {
                i++;
            }

            if (start == i || !double.TryParse(s[start..i], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            {
                return false;
            }

            var unit = Units.Where(u => string.CompareOrdinal(s, i, u.Unit, 0, u.Unit.Length) == 0).OrderByDescending(u => u.Unit.Length).FirstOrDefault();
            if (unit.Unit is null)
            {
                return false;
            }

            i += unit.Unit.Length;
            ticks += value * unit.Ticks;
        }

        // Go keeps a duration in int64 nanoseconds and refuses anything longer (about 2562047h47m).
        if (ticks * 100 > long.MaxValue)
        {
            return false;
        }

        duration = TimeSpan.FromTicks((long)(sign * ticks));
        return true;
    }
}
