import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';

async function start() {
  // Dev only: a fake backend when the page runs under plain `vite` without
  // the Wails bridge. Tree-shaken out of production builds.
  if (import.meta.env.DEV && import.meta.env.VITE_FAKE_BACKEND === '1') {
    const { installFakeBackend } = await import('./dev/fakeBackend');
    installFakeBackend();
  }
  mount(App, { target: document.getElementById('app')! });
}

void start();
