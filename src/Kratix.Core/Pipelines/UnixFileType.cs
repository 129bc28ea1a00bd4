using System.Runtime.InteropServices;

namespace Kratix.Pipelines;

/// <summary>
/// Tells regular files from FIFOs, sockets and devices, which .NET reports alike. A pipeline can create any of them in
/// its output; reading a FIFO would hang and a device is not a document, so they must be refused before reading.
/// </summary>
internal static partial class UnixFileType
{
    private const uint TypeMask = 0xF000;
    private const uint Regular = 0x8000;
    private const uint Directory = 0x4000;

    /// <summary>True for regular files and directories; false for anything else; null where the kind cannot be told (not Linux x64/arm64).</summary>
    public static bool? IsRegularOrDirectory(string path)
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture is not (Architecture.X64 or Architecture.Arm64))
        {
            return null;
        }

        // struct stat: st_mode is at offset 24 on x86_64 (dev, ino, nlink are 8 bytes each) and 16 on arm64 (nlink follows mode).
        var offset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 24 : 16;
        var buffer = new byte[256];
        if (LStat(path, buffer) != 0)
        {
            return false;
        }

        var type = BitConverter.ToUInt32(buffer, offset) & TypeMask;
        return type is Regular or Directory;
    }

    [LibraryImport("libc", EntryPoint = "lstat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int LStat(string path, byte[] buffer);
}
