using System.Text;
using Kratix.Pipelines.Runtimes;

namespace Kratix.Tests.Pipelines.Runtimes;

public sealed class CappedLogTests
{
    [Fact]
    public void Below_the_cap_everything_is_kept_in_arrival_order()
    {
        var log = new CappedLog(100);
        log.Append("out "u8);
        log.Append("err "u8);
        log.Append("out"u8);
        Assert.Equal("out err out", log.ToString());
        Assert.Equal(0, log.DroppedBytes);
    }

    [Fact]
    public void Past_the_cap_the_end_is_kept_and_the_cut_is_announced()
    {
        var log = new CappedLog(10);
        log.Append("0123456789"u8);
        log.Append("abcde"u8);
        Assert.Equal("[… 5 bytes truncated …]\n56789abcde", log.ToString());
    }

    [Fact]
    public void One_chunk_larger_than_the_cap_keeps_its_own_end()
    {
        var log = new CappedLog(4);
        log.Append("ab"u8);
        log.Append("0123456789"u8);
        Assert.Equal("[… 8 bytes truncated …]\n6789", log.ToString());
    }

    [Fact]
    public void A_character_cut_in_half_is_dropped_and_counted()
    {
        var log = new CappedLog(4);
        log.Append(Encoding.UTF8.GetBytes("xé123")); // é is two bytes; keeping the last four leaves é's second byte
        Assert.Equal("[… 3 bytes truncated …]\n123", log.ToString());
    }
}
