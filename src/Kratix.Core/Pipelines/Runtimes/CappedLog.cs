using System.Text;

namespace Kratix.Pipelines.Runtimes;

/// <summary>
/// A container's combined stdout and stderr in the order the chunks arrive, keeping only the last
/// <see cref="Capacity"/> bytes: a chatty pipeline must not exhaust memory, and the end of a log is where a failure is
/// explained. Thread-safe: the stdout and stderr pumps append concurrently.
/// </summary>
internal sealed class CappedLog
{
    /// <summary>1 MiB: what <see cref="ContainerRunResult.Log"/> keeps unless a caller asks otherwise.</summary>
    public const int DefaultCapacity = 1024 * 1024;

    private readonly object _gate = new();
    private readonly LinkedList<byte[]> _chunks = new();
    private int _firstChunkOffset;
    private long _retained;
    private long _dropped;

    public CappedLog(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
    }

    public int Capacity { get; }

    /// <summary>Bytes dropped from the start so far.</summary>
    public long DroppedBytes
    {
        get
        {
            lock (_gate)
            {
                return _dropped;
            }
        }
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }
        lock (_gate)
        {
            if (data.Length >= Capacity)
            {
                // The new chunk alone fills the log: everything older goes, and so does the chunk's own head.
                _dropped += _retained + (data.Length - Capacity);
                _chunks.Clear();
                _firstChunkOffset = 0;
                _chunks.AddLast(data[^Capacity..].ToArray());
                _retained = Capacity;
                return;
            }
            _chunks.AddLast(data.ToArray());
            _retained += data.Length;
            while (_retained > Capacity)
            {
                var first = _chunks.First!.Value;
                var available = first.Length - _firstChunkOffset;
                var excess = _retained - Capacity;
                if (available <= excess)
                {
                    _chunks.RemoveFirst();
                    _firstChunkOffset = 0;
                    _retained -= available;
                    _dropped += available;
                }
                else
                {
                    _firstChunkOffset += (int)excess;
                    _retained -= excess;
                    _dropped += excess;
                }
            }
        }
    }

    /// <summary>
    /// The retained bytes as UTF-8 text (invalid sequences become U+FFFD), preceded by
    /// <c>[… N bytes truncated …]</c> on its own line when anything was dropped. A character cut in half by the cap is
    /// dropped too, and counted.
    /// </summary>
    public override string ToString()
    {
        byte[] bytes;
        long dropped;
        lock (_gate)
        {
            bytes = new byte[_retained];
            var position = 0;
            var offset = _firstChunkOffset;
            foreach (var chunk in _chunks)
            {
                var length = chunk.Length - offset;
                Buffer.BlockCopy(chunk, offset, bytes, position, length);
                position += length;
                offset = 0;
            }
            dropped = _dropped;
        }
        var start = 0;
        if (dropped > 0)
        {
            // Skip UTF-8 continuation bytes (10xxxxxx) left by a cut through a multi-byte character.
            while (start < bytes.Length && start < 3 && (bytes[start] & 0xC0) == 0x80)
            {
                start++;
            }
        }
        var text = Encoding.UTF8.GetString(bytes, start, bytes.Length - start);
        return dropped + start == 0 ? text : $"[… {dropped + start} bytes truncated …]\n{text}";
    }
}
