// The sign-in page: the API token goes to /signin as a bearer header (a header no other site's
// page can send here), and the answer sets the session cookie.
const form = document.getElementById('signin');
const message = document.getElementById('message');
if (new URLSearchParams(location.search).has('token')) {
  document.getElementById('why').textContent = 'That sign-in link was used already (each link works once), or it belongs to another run of serve.';
  history.replaceState(null, '', '/' + location.hash);
}
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const token = document.getElementById('token').value.trim();
  const response = await fetch('/signin', { method: 'POST', headers: { Authorization: 'Bearer ' + token }, credentials: 'same-origin' });
  if (response.ok) {
    location.reload();
  } else {
    message.textContent = response.status === 401 ? 'That is not the API token of this collector.' : 'Sign-in failed (HTTP ' + response.status + ').';
  }
});
