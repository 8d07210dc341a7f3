using System.Diagnostics;

namespace EbpfConsole.Lab;

/// <summary>
/// The lab is machine-global: one mutating operation at a time. An exclusive open of
/// <c>&lt;state&gt;/lab.lock</c> (FileShare.None, an advisory lock the kernel drops when the holder dies, so a
/// killed `up` never leaves it stuck).
/// </summary>
public sealed class LabLock : IDisposable
{
    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromSeconds(60);

    private readonly FileStream _stream;

    private LabLock(FileStream stream) => _stream = stream;

    public static async Task<LabLock> AcquireAsync(string path, TimeSpan timeout, Action<string>? progress, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var started = Stopwatch.GetTimestamp();
        var told = false;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                return new LabLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (Stopwatch.GetElapsedTime(started) < timeout)
            {
                if (!told)
                {
                    progress?.Invoke("another lab operation is running; waiting for it");
                    told = true;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(250), ct).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                throw new LabException($"another 'lab up' (or down/mode) is running: {path} stayed locked for {timeout.TotalSeconds:0} s", ex);
            }
        }
    }

    public void Dispose() => _stream.Dispose();
}
