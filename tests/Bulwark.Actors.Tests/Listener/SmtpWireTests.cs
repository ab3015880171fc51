using System.Net;
using System.Net.Sockets;
using System.Text;
using Bulwark.Listener.Protocol;
using Bulwark.Policy.Sessions;

namespace Bulwark.Actors.Tests.Listener;

/// <summary>The byte level over a real loopback socket pair.</summary>
public sealed class SmtpWireTests : IDisposable
{
    private readonly Socket _server;
    private readonly Socket _client;
    private readonly SmtpWire _wire;

    public SmtpWireTests()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        _client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _client.Connect(listener.LocalEndPoint!);
        _server = listener.Accept();
        _wire = new SmtpWire(_server);
    }

    private async Task<(DataOutcome Outcome, string Body)> ReadBody(string sent, SessionLimits? limits = null, int chunk = int.MaxValue)
    {
        var bytes = Encoding.Latin1.GetBytes(sent);
        var sender = Task.Run(async () =>
        {
            for (var i = 0; i < bytes.Length; i += chunk)
            {
                await _client.SendAsync(bytes.AsMemory(i, Math.Min(chunk, bytes.Length - i)));
                if (chunk < bytes.Length) await Task.Delay(1);
            }
        });
        var sink = new MemoryStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var outcome = await _wire.ReadDataAsync(sink, limits ?? new SessionLimits(), TimeSpan.FromSeconds(5), timeout.Token);
        await sender;
        return (outcome, Encoding.Latin1.GetString(sink.ToArray()));
    }

    [Fact]
    public async Task Unstuffs_leading_dots_on_every_line_including_the_first()
    {
        var (outcome, body) = await ReadBody("..one\r\ntwo\r\n...\r\n.\r\n");
        Assert.Equal(DataFaults.None, outcome.Faults);
        Assert.Equal(".one\r\ntwo\r\n..\r\n", body);
        Assert.Equal(body.Length, outcome.Bytes);
    }

    [Fact]
    public async Task An_empty_body_ends_at_once()
    {
        var (outcome, body) = await ReadBody(".\r\n");
        Assert.True(outcome.Completed);
        Assert.Equal("", body);
    }

    [Theory]
    [InlineData("a\n.\nb\r\n.\r\n", DataFaults.BareLineFeed)]
    [InlineData("a\r.\rb\r\n.\r\n", DataFaults.BareCarriageReturn)]
    [InlineData("a\r\n.\nb\r\n.\r\n", DataFaults.BareLineFeed)]
    [InlineData("a\n.\r\nb\r\n.\r\n", DataFaults.BareLineFeed)]
    [InlineData("a\r\n\0.\r\nb\r\n.\r\n", DataFaults.Nul)]
    [InlineData("a\r\n.\0\r\nb\r\n.\r\n", DataFaults.Nul)]
    public async Task Fake_ends_of_data_do_not_end_the_body_and_are_faults(string sent, DataFaults expected)
    {
        var (outcome, _) = await ReadBody(sent);
        Assert.True(outcome.Completed);
        Assert.True(outcome.Faults.HasFlag(expected), outcome.Faults.ToString());
        // The whole input was body: nothing is left over to be read as commands.
        Assert.False(_wire.HasBufferedLine);
    }

    [Fact]
    public async Task A_body_read_in_one_byte_pieces_is_the_same_body()
    {
        var (outcome, body) = await ReadBody("Subject: x\r\n\r\n..dot\r\nend\r\n.\r\n", chunk: 1);
        Assert.Equal(DataFaults.None, outcome.Faults);
        Assert.Equal("Subject: x\r\n\r\n.dot\r\nend\r\n", body);
    }

    [Fact]
    public async Task A_line_longer_than_the_input_buffer_is_read_through_and_flagged()
    {
        var (outcome, body) = await ReadBody(new string('x', 20_000) + "\r\nafter\r\n.\r\n");
        Assert.True(outcome.Completed);
        Assert.True(outcome.Faults.HasFlag(DataFaults.LineTooLong));
        Assert.Equal("", body);
    }

    [Fact]
    public async Task The_size_limit_counts_unstuffed_bytes_and_stops_writing()
    {
        var limits = new SessionLimits { MaxMessageBytes = 10 };
        var (exact, _) = await ReadBody("12345678\r\n.\r\n", limits);
        Assert.Equal(DataFaults.None, exact.Faults);
        var (over, body) = await ReadBody("123456789\r\nmore\r\n.\r\n", limits);
        Assert.Equal(DataFaults.TooLarge, over.Faults);
        Assert.Equal("", body);
    }

    [Fact]
    public async Task A_body_that_stops_arriving_times_out_after_the_block_timeout()
    {
        await _client.SendAsync(Encoding.ASCII.GetBytes("Subject: slow\r\n"));
        var started = DateTime.UtcNow;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await _wire.ReadDataAsync(new MemoryStream(), new SessionLimits(), TimeSpan.FromMilliseconds(300), CancellationToken.None));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Command_lines_over_the_limit_are_skipped_whole()
    {
        await _client.SendAsync(Encoding.ASCII.GetBytes(new string('a', 3000) + "\r\nNOOP\r\n"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var first = await _wire.ReadLineAsync(512, timeout.Token);
        var second = await _wire.ReadLineAsync(512, timeout.Token);
        Assert.True(first.TooLong);
        Assert.Equal("NOOP", second.Line);
    }

    [Fact]
    public async Task Replies_wait_while_pipelined_input_is_buffered()
    {
        await _client.SendAsync(Encoding.ASCII.GetBytes("NOOP\r\nNOOP\r\n"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _wire.ReadLineAsync(512, timeout.Token);
        Assert.True(_wire.HasBufferedLine);
        await _wire.ReadLineAsync(512, timeout.Token);
        Assert.False(_wire.HasBufferedLine);
    }

    public void Dispose()
    {
        _client.Dispose();
        _server.Dispose();
    }
}
