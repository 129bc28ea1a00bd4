using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Text;

namespace Kratix.Pipelines.Runtimes;

/// <summary>
/// A pipe already filled with NUL-separated arguments whose read end the next child process inherits, for bwrap's
/// <c>--args FD</c>: a merged image folder can mean thousands of options, more than a command line should carry, and
/// they need not show in <c>ps</c>. .NET cannot hand a child any descriptor but 0-2, and bwrap closes the <c>--args</c>
/// descriptor after reading it, so using stdin would leave the container without one; hence this one extra descriptor.
/// <para>
/// The payload is written and the write end closed before the child starts (the pipe is grown to fit), so nothing can
/// block and the child sees end-of-file after the arguments. The read end is made inheritable only for the moment of the
/// start and closed in this process right after; another process started at that instant may inherit it too, which
/// costs it one idle descriptor and nothing else.
/// </para>
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class ArgumentsPipe : IDisposable
{
    private const int O_CLOEXEC = 0x80000;
    private const int EINTR = 4;
    private const int F_SETFD = 2;
    private const int F_SETPIPE_SZ = 1031;
    private const int DefaultPipeCapacity = 64 * 1024;

    private int _readDescriptor;

    private ArgumentsPipe(int readDescriptor) => _readDescriptor = readDescriptor;

    /// <summary>The descriptor number the child inherits (the same number as in this process).</summary>
    public int ReadDescriptor => _readDescriptor;

    public static ArgumentsPipe Create(IReadOnlyList<string> arguments)
    {
        var payload = new MemoryStream();
        foreach (var argument in arguments)
        {
            if (argument.Contains('\0'))
            {
                throw new ArgumentException("An argument contains a NUL character.", nameof(arguments));
            }
            var bytes = Encoding.UTF8.GetBytes(argument);
            payload.Write(bytes);
            payload.WriteByte(0);
        }
        var data = payload.ToArray();

        var descriptors = new int[2];
        if (pipe2(descriptors, O_CLOEXEC) != 0)
        {
            throw new Win32Exception(Marshal.GetLastWin32Error(), "pipe2 failed");
        }
        var (read, write) = (descriptors[0], descriptors[1]);
        try
        {
            if (data.Length > DefaultPipeCapacity && fcntl(write, F_SETPIPE_SZ, data.Length) < data.Length)
            {
                throw new KratixException(PipelineRuntimeErrors.RuntimeFailed, KratixErrorCategory.LimitsExceeded,
                    $"The Host runtime's sandbox needs {data.Length} bytes of bwrap options, more than a pipe can hold here " +
                    "(/proc/sys/fs/pipe-max-size). The image folder merges too many entries; map fewer files or raise that limit.");
            }
            var written = 0;
            while (written < data.Length)
            {
                var result = (int)WriteBytes(write, ref data[written], data.Length - written);
                if (result < 0 && Marshal.GetLastWin32Error() == EINTR)
                {
                    continue;
                }
                if (result < 0)
                {
                    throw new Win32Exception(Marshal.GetLastWin32Error(), "writing the bwrap arguments failed");
                }
                written += result;
            }
            close(write);
            write = -1;
            return new ArgumentsPipe(read);
        }
        catch
        {
            if (write >= 0)
            {
                close(write);
            }
            close(read);
            throw;
        }
    }

    /// <summary>Lets the next child inherit the read end; call immediately before starting it.</summary>
    public void MakeInheritable()
    {
        if (fcntl(_readDescriptor, F_SETFD, 0) != 0)
        {
            throw new Win32Exception(Marshal.GetLastWin32Error(), "fcntl(F_SETFD) failed");
        }
    }

    /// <summary>Closes this process's read end (the child keeps its own copy).</summary>
    public void Dispose()
    {
        var descriptor = Interlocked.Exchange(ref _readDescriptor, -1);
        if (descriptor >= 0)
        {
            close(descriptor);
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int pipe2(int[] descriptors, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int fcntl(int descriptor, int command, int argument);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int descriptor);

    [DllImport("libc", EntryPoint = "write", SetLastError = true)]
    private static extern nint WriteBytes(int descriptor, ref byte buffer, nint count);
}
