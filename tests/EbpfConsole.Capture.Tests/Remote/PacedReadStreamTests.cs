using EbpfConsole.Capture.Remote;

namespace EbpfConsole.Capture.Tests.Remote;

public sealed class PacedReadStreamTests
{
    [Fact]
    public void Read_DataBuffered_ReadsAtOnceWithoutAskingTwice()
    {
        var inner = new MemoryStream([1, 2, 3, 4]);
        var asked = 0;
        using var paced = new PacedReadStream(inner, () => { asked++; return inner.Length - inner.Position; }, TimeSpan.FromSeconds(30));

        var buffer = new byte[4];
        var read = paced.Read(buffer);

        Assert.Equal(4, read);
        Assert.Equal([1, 2, 3, 4], buffer);
        Assert.Equal(1, asked); // 30 s pace: had it waited, the test would hang
    }

    [Fact]
    public void Read_NothingBuffered_WaitsThePaceThenReadsToTheEnd()
    {
        var inner = new MemoryStream([9]);
        var answers = new Queue<long>([0, 1]);
        using var paced = new PacedReadStream(inner, () => answers.Dequeue(), TimeSpan.FromMilliseconds(1));

        var buffer = new byte[1];
        Assert.Equal(1, paced.Read(buffer));
        Assert.Equal(9, buffer[0]);
        Assert.Equal(0, paced.Read(buffer)); // end of stream still reads as 0
        Assert.Empty(answers);
    }

    [Fact]
    public void Over_AStreamThatIsNotSshNetsPipe_IsReturnedAsItIs()
    {
        using var plain = new MemoryStream();

        Assert.Same(plain, PacedReadStream.Over(plain, TimeSpan.FromMilliseconds(5)));
    }
}
